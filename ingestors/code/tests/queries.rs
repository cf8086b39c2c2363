//! Every `.scm` query compiles against its grammar, and every query file on disk is wired in.

use brain_ingest_code::lang::{compile, Lang};

#[test]
fn every_query_compiles() {
    for lang in Lang::ALL {
        if let Err(e) = compile(*lang) {
            panic!("{e}");
        }
    }
}

#[test]
fn every_query_file_is_loaded() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("queries");
    let mut on_disk = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("queries dir") {
        let entry = entry.expect("entry");
        if !entry.path().is_dir() {
            continue;
        }
        for f in std::fs::read_dir(entry.path()).expect("lang dir") {
            let f = f.expect("file");
            on_disk.push(format!("{}/{}", entry.file_name().to_string_lossy(), f.file_name().to_string_lossy()));
        }
    }
    let mut loaded = Vec::new();
    for lang in Lang::ALL {
        for (file, _) in lang.query_sources() {
            loaded.push(format!("{}/{file}", lang.query_dir()));
        }
    }
    for f in on_disk {
        assert!(loaded.contains(&f), "queries/{f} is not loaded by lang.rs");
    }
}
