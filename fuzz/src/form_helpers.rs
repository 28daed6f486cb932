//! The span-returning form helpers on arbitrary bytes: no panic, every span inside the input
//! and in order, and each helper's own property.
//!
//! Input: 1 selector byte, then the helper's input.
//! - 0: `boundary_from_content_type` (an accepted boundary is valid for the parser);
//! - 1: `parse_content_disposition` (spans in bounds; an ext-value's parts are in order);
//! - 2: `QueryPairs` + `percent_decode_in_place` (pieces cover the input in order, without
//!   `&`; decoding never grows; valid escapes decode to what they encode);
//! - 3: `Cookies` (names and values hold no control character or `;`);
//! - 4: `decode_basic_auth` (accepted credentials re-encode to the same base64);
//! - 5: `write_set_cookie` (the written header's first pair reads back as the name and value).

use base64::Engine;
use wireframe::form::{
    boundary_from_content_type, decode_basic_auth, parse_content_disposition,
    percent_decode_in_place, validate_boundary, write_set_cookie, Cookies, QueryPairs, SameSite,
    SetCookie, Span,
};

fn inside(s: Span, len: usize) {
    assert!(
        s.offset <= len && s.end() <= len,
        "span {s:?} outside {len}"
    );
}

/// The fuzz target.
pub fn check(data: &[u8]) {
    let Some((&sel, input)) = data.split_first() else {
        return;
    };
    let n = input.len();
    match sel % 6 {
        0 => {
            if let Ok(s) = boundary_from_content_type(input) {
                inside(s, n);
                assert!(validate_boundary(s.get(input)).is_ok());
            }
        }
        1 => {
            if let Ok(cd) = parse_content_disposition(input) {
                inside(cd.kind, n);
                for v in [cd.name, cd.filename].into_iter().flatten() {
                    inside(v.span, n);
                }
                if let Some(e) = cd.filename_ext {
                    inside(e.value, n);
                    assert!(e.charset.end() < e.language.offset + 1);
                    assert!(e.language.end() < e.value.offset);
                }
            }
        }
        2 => {
            let mut last = 0;
            for p in QueryPairs::new(input) {
                inside(p.name, n);
                inside(p.value, n);
                assert!(p.name.offset >= last && p.value.offset >= p.name.end());
                assert!(!p.name.get(input).contains(&b'&') && !p.value.get(input).contains(&b'&'));
                last = p.value.end();
                let mut v = p.value.get(input).to_vec();
                if let Ok(k) = percent_decode_in_place(&mut v, true) {
                    assert!(k <= p.value.length);
                }
            }
            // Every byte value round-trips through its escape.
            let enc: Vec<u8> = input
                .iter()
                .flat_map(|b| format!("%{b:02X}").into_bytes())
                .collect();
            let mut buf = enc.clone();
            let k = percent_decode_in_place(&mut buf, true).unwrap();
            assert_eq!(&buf[..k], input);
        }
        3 => {
            for c in Cookies::new(input) {
                let Ok(c) = c else { break };
                inside(c.name, n);
                inside(c.value, n);
                for b in c.name.get(input).iter().chain(c.value.get(input)) {
                    assert!(*b == b'\t' || (*b >= 0x20 && *b != 0x7f) && *b != b';');
                }
            }
        }
        4 => {
            let mut out = vec![0u8; n / 4 * 3 + 3];
            if let Ok(c) = decode_basic_auth(input, &mut out) {
                inside(c.user, out.len());
                inside(c.password, out.len());
                let joined = [c.user.get(&out), b":", c.password.get(&out)].concat();
                let enc = base64::engine::general_purpose::STANDARD.encode(&joined);
                let s = String::from_utf8_lossy(input);
                assert_eq!(s[5..].trim_matches(|ch| ch == ' ' || ch == '\t'), enc);
            }
        }
        _ => {
            let mid = n / 2;
            let (name, value) = input.split_at(mid);
            let cookie = SetCookie {
                name,
                value,
                path: (sel & 0x10 != 0).then_some(b"/".as_slice()),
                max_age: (sel & 0x20 != 0).then_some(n as i64 - 100),
                expires: (sel & 0x40 != 0).then_some(n as i64 * 86_400 * 400),
                secure: sel & 0x80 != 0,
                same_site: if sel & 8 != 0 {
                    SameSite::None
                } else {
                    SameSite::Lax
                },
                ..SetCookie::default()
            };
            let mut out = [0u8; 512];
            if let Ok(k) = write_set_cookie(&cookie, &mut out) {
                let written = &out[..k];
                let first = Cookies::new(written).next().unwrap().unwrap();
                assert_eq!(first.name.get(written), name);
                assert_eq!(first.value.get(written), value);
            }
        }
    }
}
