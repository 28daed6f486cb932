//! Runs one input through one target's checks, outside libFuzzer, with a readable panic:
//! `cargo run --release --example one -- http_split path/to/input`.
fn main() {
    let target = std::env::args().nth(1).unwrap();
    let data = std::fs::read(std::env::args().nth(2).unwrap()).unwrap();
    match target.as_str() {
        "http_split" => wireframe_fuzz::http_split::check(&data),
        "http_diff" => wireframe_fuzz::http_diff::check(&data),
        "url" => wireframe_fuzz::url::check(&data),
        "ws_decode" => wireframe_fuzz::ws_decode::check(&data),
        "ws_roundtrip" => wireframe_fuzz::ws_roundtrip::check(&data),
        "handshake" => wireframe_fuzz::handshake::check(&data),
        "utf8" => wireframe_fuzz::utf8::check(&data),
        "mask" => wireframe_fuzz::mask::check(&data),
        _ => panic!("unknown target"),
    }
}
