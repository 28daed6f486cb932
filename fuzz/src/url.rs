//! URL parser: never panics; an accepted URL's parts lie inside it, in order, without overlap,
//! each with its separator next to it, and the port number is the port digits' value.
//!
//! Input: 1 configuration byte (bit 0: CONNECT authority form), then the URL.

use wireframe::http::url::{parse_url, UrlPart};

const PARTS: [UrlPart; 7] = [
    UrlPart::Schema,
    UrlPart::Userinfo,
    UrlPart::Host,
    UrlPart::Port,
    UrlPart::Path,
    UrlPart::Query,
    UrlPart::Fragment,
];

/// The fuzz target.
pub fn check(data: &[u8]) {
    let Some((&c, url)) = data.split_first() else {
        return;
    };
    let connect = c & 1 != 0;
    let Ok(out) = parse_url(url, connect) else {
        return;
    };
    let text = String::from_utf8_lossy(url);
    assert!(!url.is_empty());
    assert_eq!(out.field_set & !0x7F, 0, "unknown part bits for {text:?}");
    let mut end = 0;
    for part in PARTS {
        let Some(bytes) = out.get(url, part) else {
            assert_eq!(
                out.fields[part as usize].length, 0,
                "absent part with a length"
            );
            continue;
        };
        let span = out.fields[part as usize];
        assert!(
            span.offset >= end,
            "{part:?} overlaps or is out of order in {text:?}"
        );
        assert!(
            !bytes.is_empty() || part == UrlPart::Path,
            "empty {part:?} in {text:?}"
        );
        end = span.offset + span.length;
        let before = span.offset.checked_sub(1).map(|i| url[i]);
        match part {
            UrlPart::Schema => {
                assert_eq!(span.offset, 0);
                assert!(
                    url[end..].starts_with(b"://"),
                    "schema without :// in {text:?}"
                );
            }
            UrlPart::Userinfo => assert_eq!(url.get(end), Some(&b'@'), "userinfo in {text:?}"),
            UrlPart::Port => {
                assert_eq!(before, Some(b':'), "port in {text:?}");
                assert!(
                    bytes.iter().all(u8::is_ascii_digit),
                    "port digits in {text:?}"
                );
                let value: u32 = std::str::from_utf8(bytes).unwrap().parse().unwrap();
                assert_eq!(value, out.port as u32, "port value in {text:?}");
            }
            UrlPart::Path => assert!(bytes == b"*" || bytes[0] == b'/', "path in {text:?}"),
            UrlPart::Query => assert_eq!(before, Some(b'?'), "query in {text:?}"),
            UrlPart::Fragment => {
                assert_eq!(before, Some(b'#'), "fragment in {text:?}");
                assert_eq!(end, url.len(), "fragment not last in {text:?}");
            }
            UrlPart::Host => {
                assert!(
                    !bytes.contains(&b'/') && !bytes.contains(&b'@'),
                    "host in {text:?}"
                );
            }
        }
    }
    if out.field_set & (1 << UrlPart::Port as u16) == 0 {
        assert_eq!(out.port, 0, "port number without a port in {text:?}");
    }
    if connect {
        assert!(out.get(url, UrlPart::Host).is_some() && out.get(url, UrlPart::Port).is_some());
        assert_eq!(
            out.field_set & !((1 << UrlPart::Host as u16) | (1 << UrlPart::Port as u16)),
            0
        );
    }
    // No byte of the URL is lost: what lies between parts is separators only.
    let mut covered = vec![false; url.len()];
    for part in PARTS {
        if let Some(_b) = out.get(url, part) {
            let s = out.fields[part as usize];
            covered[s.offset..s.offset + s.length]
                .iter_mut()
                .for_each(|c| *c = true);
        }
    }
    for (i, &c) in covered.iter().enumerate() {
        assert!(
            c || b":/@[]?#".contains(&url[i]),
            "byte {i} of {text:?} is in no part"
        );
    }
}
