//! The span-returning helpers: the boundary from Content-Type, Content-Disposition (with
//! RFC 8187 `filename*`), quoted-string unescaping; each rejection with what it stops.

use wireframe::form::{
    boundary_from_content_type, parse_content_disposition, percent_decode_in_place,
    unescape_quoted_in_place, FormError, FormErrorAt,
};

fn boundary(ct: &str) -> Result<&str, FormErrorAt> {
    boundary_from_content_type(ct.as_bytes())
        .map(|s| std::str::from_utf8(s.get(ct.as_bytes())).unwrap())
}

#[test]
fn boundary_from_content_types_clients_send() {
    let chrome = "multipart/form-data; boundary=----WebKitFormBoundary7MA4YWxkTrZu0gW";
    assert_eq!(
        boundary(chrome).unwrap(),
        "----WebKitFormBoundary7MA4YWxkTrZu0gW"
    );
    assert_eq!(
        boundary("Multipart/Form-Data;BOUNDARY=\"simple boundary\"").unwrap(),
        "simple boundary"
    );
    assert_eq!(
        boundary("multipart/mixed; charset=utf-8 ;  boundary=\"a:b\" ; x=\"y;z\"").unwrap(),
        "a:b"
    );
    let b70 = "b".repeat(70);
    assert_eq!(
        boundary(&format!("multipart/form-data; boundary={b70}")).unwrap(),
        b70
    );
}

#[test]
fn boundary_rejections() {
    let e = |ct: &str| boundary(ct).unwrap_err();
    // Not a multipart body: parsing it as one would read attacker-chosen structure.
    assert_eq!(
        e("text/plain; boundary=x"),
        FormErrorAt::new(FormError::NotMultipart, 0)
    );
    assert_eq!(
        e("multipart/form-data"),
        FormErrorAt::new(FormError::NotMultipart, 19)
    );
    assert_eq!(e("multipart"), FormErrorAt::new(FormError::NotMultipart, 9));
    // Two boundaries: a proxy and the application would split the body differently.
    assert_eq!(
        e("multipart/form-data; boundary=a; BOUNDARY=b"),
        FormErrorAt::new(FormError::InvalidParameter, 33)
    );
    // Over 70 bytes, a trailing space, a byte outside bchars, an empty value.
    let long = format!("multipart/form-data; boundary={}", "b".repeat(71));
    assert_eq!(e(&long), FormErrorAt::new(FormError::InvalidBoundary, 30));
    assert_eq!(
        e("multipart/form-data; boundary=\"ab \""),
        FormErrorAt::new(FormError::InvalidBoundary, 31)
    );
    assert_eq!(
        e("multipart/form-data; boundary=\"a\\\"b\""),
        FormErrorAt::new(FormError::InvalidBoundary, 31)
    );
    assert_eq!(
        e("multipart/form-data; boundary=\"\""),
        FormErrorAt::new(FormError::InvalidBoundary, 31)
    );
    assert_eq!(
        e("multipart/form-data; boundary="),
        FormErrorAt::new(FormError::InvalidParameter, 30)
    );
    // Malformed lists: an unterminated quote, a missing `=`, garbage between parameters.
    assert_eq!(
        e("multipart/form-data; boundary=\"abc"),
        FormErrorAt::new(FormError::InvalidParameter, 34)
    );
    assert_eq!(
        e("multipart/form-data; boundary"),
        FormErrorAt::new(FormError::InvalidParameter, 29)
    );
    assert_eq!(
        e("multipart/form-data x; boundary=a"),
        FormErrorAt::new(FormError::InvalidParameter, 20)
    );
}

#[test]
fn boundary_parsing_is_linear_on_hostile_input() {
    // The python-multipart CVE-2024-24762 class: a regular expression that backtracks on
    // many parameters or long quoted strings. Here each byte is looked at a bounded number of
    // times; this input would take minutes with a backtracking parser and is refused at once.
    let hostile = format!("multipart/form-data; {}", "a=\"\\\\\\\\\";".repeat(20000));
    assert_eq!(
        boundary(&hostile).unwrap_err().code,
        FormError::NotMultipart
    );
}

#[test]
fn content_disposition_of_browser_parts() {
    let v = "form-data; name=\"file\"; filename=\"a%22b \u{20ac}.txt\"";
    let cd = parse_content_disposition(v.as_bytes()).unwrap();
    let b = v.as_bytes();
    assert_eq!(cd.kind.get(b), b"form-data");
    assert_eq!(cd.name.unwrap().span.get(b), b"file");
    let f = cd.filename.unwrap();
    assert_eq!(f.span.get(b), "a%22b \u{20ac}.txt".as_bytes());
    assert!(f.quoted && !f.escaped);
    assert!(cd.filename_ext.is_none());

    // RFC 7578 4.2 / RFC 8187: filename* with a charset and percent-encoded UTF-8.
    let v = b"attachment; FILENAME*=UTF-8'en'%e2%82%ac%20rates.txt; filename=\"EURO rates.txt\"; name=f";
    let cd = parse_content_disposition(v).unwrap();
    assert_eq!(cd.kind.get(v), b"attachment");
    let ext = cd.filename_ext.unwrap();
    assert_eq!(ext.charset.get(v), b"UTF-8");
    assert_eq!(ext.language.get(v), b"en");
    let mut value = ext.value.get(v).to_vec();
    let n = percent_decode_in_place(&mut value, false).unwrap();
    assert_eq!(&value[..n], "\u{20ac} rates.txt".as_bytes());
    assert_eq!(cd.filename.unwrap().span.get(v), b"EURO rates.txt");
    assert_eq!(cd.name.unwrap().span.get(v), b"f");

    // Older Firefox: backslash-escaped quotes; the span keeps them, unescaping is explicit.
    let v = b"form-data; name=\"f\"; filename=\"say \\\"hi\\\".txt\"";
    let f = parse_content_disposition(v).unwrap().filename.unwrap();
    assert!(f.escaped);
    let mut raw = f.span.get(v).to_vec();
    let n = unescape_quoted_in_place(&mut raw);
    assert_eq!(&raw[..n], b"say \"hi\".txt");
    // A semicolon inside quotes is part of the value.
    let v = b"form-data; name=\"a;b\"";
    assert_eq!(
        parse_content_disposition(v)
            .unwrap()
            .name
            .unwrap()
            .span
            .get(v),
        b"a;b"
    );
}

#[test]
fn content_disposition_rejections() {
    let e = |v: &[u8]| parse_content_disposition(v).unwrap_err();
    // A repeated name or filename: a filter checks one copy, the application uses the other.
    assert_eq!(
        e(b"form-data; name=a; name=b"),
        FormErrorAt::new(FormError::InvalidParameter, 19)
    );
    assert_eq!(
        e(b"form-data; filename=a; Filename=\"b.exe\""),
        FormErrorAt::new(FormError::InvalidParameter, 23)
    );
    // filename* must be an ext-value: charset, two quotes, attr-chars and escapes.
    assert_eq!(
        e(b"form-data; filename*=\"UTF-8''a\""),
        FormErrorAt::new(FormError::InvalidExtValue, 22)
    );
    assert_eq!(
        e(b"form-data; filename*=UTF-8'a"),
        FormErrorAt::new(FormError::InvalidExtValue, 28)
    );
    assert_eq!(
        e(b"form-data; filename*='en'a"),
        FormErrorAt::new(FormError::InvalidExtValue, 21)
    );
    assert_eq!(
        e(b"form-data; filename*=UTF-8''%e2%8"),
        FormErrorAt::new(FormError::InvalidExtValue, 31)
    );
    // A control character inside a quoted value (a NUL truncates the name in C code).
    assert_eq!(
        e(b"form-data; filename=\"a\x00b\""),
        FormErrorAt::new(FormError::InvalidParameter, 22)
    );
    assert_eq!(
        e(b"; name=a"),
        FormErrorAt::new(FormError::InvalidParameter, 0)
    );
}
