//! Replays every committed corpus file and crash reproducer through its target's checks, then
//! a few deterministic mutations of each corpus file (a small property test that needs no
//! fuzzer). A reproducer in `regressions/<target>/` fails here until its bug is fixed.

use std::path::{Path, PathBuf};

use wireframe_fuzz::Rng;

type Check = fn(&[u8]);

const TARGETS: &[(&str, Check)] = &[
    ("http_split", wireframe_fuzz::http_split::check),
    ("http_diff", wireframe_fuzz::http_diff::check),
    ("url", wireframe_fuzz::url::check),
    ("ws_decode", wireframe_fuzz::ws_decode::check),
    ("ws_roundtrip", wireframe_fuzz::ws_roundtrip::check),
    ("handshake", wireframe_fuzz::handshake::check),
    ("utf8", wireframe_fuzz::utf8::check),
    ("mask", wireframe_fuzz::mask::check),
    (
        "deflate_roundtrip",
        wireframe_fuzz::deflate_roundtrip::check,
    ),
    ("deflate_inflate", wireframe_fuzz::deflate_inflate::check),
    ("multipart", wireframe_fuzz::multipart::check),
    ("form_helpers", wireframe_fuzz::form_helpers::check),
];

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(rd) => rd
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_file())
            .collect(),
        Err(_) => Vec::new(),
    };
    v.sort();
    v
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn run(name: &str, check: Check, path: &Path, data: &[u8]) {
    let r = std::panic::catch_unwind(|| check(data));
    if r.is_err() {
        let keep = std::env::temp_dir().join(format!("wireframe-fuzz-failure-{name}"));
        std::fs::write(&keep, data).unwrap();
        panic!(
            "{name}: {} fails (input saved as {})",
            path.display(),
            keep.display()
        );
    }
}

#[test]
fn corpora_replay() {
    let mut total = 0;
    for &(name, check) in TARGETS {
        let corpus = files(&root().join("corpus").join(name));
        assert!(!corpus.is_empty(), "no corpus for {name}");
        for path in corpus {
            run(name, check, &path, &std::fs::read(&path).unwrap());
            total += 1;
        }
    }
    eprintln!("replayed {total} corpus files");
}

#[test]
fn regressions_replay() {
    for &(name, check) in TARGETS {
        for path in files(&root().join("regressions").join(name)) {
            run(name, check, &path, &std::fs::read(&path).unwrap());
        }
    }
}

/// Deterministic mutations of up to 300 corpus files per target: byte flips, insertions of dictionary-like
/// bytes, truncations and different configuration bytes.
#[test]
fn corpus_mutations() {
    const TOKENS: &[&[u8]] = &[
        b"\r\n", b"\n", b" ", b":", b"\t", b"0", b"\x00", b"\x80", b"\xff", b";", b"\"",
    ];
    for &(name, check) in TARGETS {
        // The first files (names are content hashes, so a fair sample) keep the test short.
        for path in files(&root().join("corpus").join(name))
            .into_iter()
            .take(300)
        {
            let data = std::fs::read(&path).unwrap();
            let mut rng = Rng::new(data.len() as u64);
            for _ in 0..24 {
                let mut m = data.clone();
                for _ in 0..1 + rng.below(3) {
                    let at = rng.below(m.len() + 1);
                    match rng.below(4) {
                        0 if at < m.len() => m[at] ^= 1 << rng.below(8),
                        1 => {
                            let t = TOKENS[rng.below(TOKENS.len())];
                            m.splice(at..at, t.iter().copied());
                        }
                        2 => m.truncate(at),
                        _ if !m.is_empty() => m[0] = rng.next_u64() as u8,
                        _ => {}
                    }
                }
                run(name, check, &path, &m);
            }
        }
    }
}
