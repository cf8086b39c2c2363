#![no_main]
//! `.github/CODEOWNERS` through every shipped ingestor that accepts it, then
//! the link passes (the `CodeownersPass` matches its rules against the repo's
//! files). Bytes after a NUL name those other files, one path a line.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = brain_fuzz::codeowners(data);
});
