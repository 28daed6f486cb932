//! Compiles the C peers and the C drivers that run every parser with the same callbacks:
//! llhttp 8.1.0 from Debian's node-llhttp sources (-O3), picohttpparser from the
//! picohttpparser-sys crate's sources twice (-O3, with and without -msse4.2, symbols renamed),
//! the drivers for llhttp, http-parser and wireframe's C ABI, and links Debian's static
//! libhttp_parser.a.
//!
//! Paths can be overridden: LLHTTP_SRC (default /usr/share/llhttp), LLHTTP_INCLUDE (default
//! /usr/share/include/llhttp), PICO_DIR (default: picohttpparser-sys 1.0.0 in the cargo
//! registry), HTTP_PARSER_LIBDIR (default /usr/lib/x86_64-linux-gnu).

use std::env;
use std::path::{Path, PathBuf};

fn dir_from_env(name: &str, default: &str) -> PathBuf {
    println!("cargo:rerun-if-env-changed={name}");
    env::var_os(name)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(default))
}

/// The picohttpparser sources inside the picohttpparser-sys 1.0.0 crate, which cargo has
/// fetched (it is a build-dependency) into $CARGO_HOME/registry/src/<index>/.
fn pico_dir() -> PathBuf {
    println!("cargo:rerun-if-env-changed=PICO_DIR");
    if let Some(dir) = env::var_os("PICO_DIR") {
        return PathBuf::from(dir);
    }
    let home = env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env::var_os("HOME").expect("HOME or CARGO_HOME")).join(".cargo")
        });
    let src = home.join("registry").join("src");
    for index in std::fs::read_dir(&src).expect("cargo registry sources") {
        let dir = index
            .unwrap()
            .path()
            .join("picohttpparser-sys-1.0.0/deps/picohttpparser");
        if dir.join("picohttpparser.c").exists() {
            return dir;
        }
    }
    panic!(
        "picohttpparser-sys 1.0.0 sources not found under {}; set PICO_DIR",
        src.display()
    );
}

fn require(path: &Path, hint: &str) {
    if !path.exists() {
        panic!("{} is missing: {hint}", path.display());
    }
}

fn base() -> cc::Build {
    let mut b = cc::Build::new();
    b.opt_level(3).flag("-O3").warnings(false).include("c");
    b
}

fn main() {
    let manifest = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap());
    let llhttp_src = dir_from_env("LLHTTP_SRC", "/usr/share/llhttp");
    let llhttp_inc = dir_from_env("LLHTTP_INCLUDE", "/usr/share/include/llhttp");
    let hp_libdir = dir_from_env("HTTP_PARSER_LIBDIR", "/usr/lib/x86_64-linux-gnu");
    let pico = pico_dir();
    let apt = "apt-get install node-llhttp libhttp-parser-dev (make bench does it)";
    require(&llhttp_src.join("llhttp.c"), apt);
    require(&hp_libdir.join("libhttp_parser.a"), apt);

    base()
        .include(&llhttp_inc)
        .file(llhttp_src.join("llhttp.c"))
        .file(llhttp_src.join("api.c"))
        .file(llhttp_src.join("http.c"))
        .file("c/llhttp_driver.c")
        .compile("wb_llhttp");

    base()
        .file("c/http_parser_driver.c")
        .compile("wb_http_parser_driver");
    println!("cargo:rustc-link-search=native={}", hp_libdir.display());
    println!("cargo:rustc-link-lib=static=http_parser");

    const PHR: [&str; 5] = [
        "phr_parse_request",
        "phr_parse_response",
        "phr_parse_headers",
        "phr_decode_chunked",
        "phr_decode_chunked_is_in_data",
    ];
    for (suffix, sse42) in [("plain", false), ("sse42", true)] {
        let mut b = base();
        b.include(&pico)
            .file(pico.join("picohttpparser.c"))
            .file("c/pico_driver.c");
        for f in PHR {
            b.define(f, Some(format!("wb_{suffix}_{f}").as_str()));
        }
        let pass = if sse42 {
            "wb_pico_sse42_pass"
        } else {
            "wb_pico_pass"
        };
        b.define("WB_PICO_PASS", Some(pass));
        if sse42 {
            b.flag("-msse4.2");
        } else {
            // Baseline x86-64: picohttpparser takes its portable path.
            b.flag("-mno-sse4.2");
        }
        b.compile(&format!("wb_pico_{suffix}"));
    }

    base()
        .include(manifest.join("../include"))
        .file("c/wireframe_driver.c")
        .compile("wb_wireframe_driver");

    println!("cargo:rerun-if-changed=c");
    println!("cargo:rerun-if-changed=../include/wireframe.h");
    println!("cargo:rerun-if-changed={}", llhttp_src.display());
}
