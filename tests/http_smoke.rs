mod common;
use common::*;
use wireframe::http::{Errno, ParserType};

#[test]
fn smoke() {
    let out = parse_all_splits(
        Setup::new(ParserType::Request),
        b"GET /x?y=1 HTTP/1.1\r\nHost: a.b\r\nContent-Length: 3\r\n\r\nabc",
    );
    println!("{:#?}", out);
    assert_eq!(out.errno, Errno::Ok);
}
