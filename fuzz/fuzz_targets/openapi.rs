#![no_main]
//! `openapi.yaml` (or `openapi.json` when the input starts with `{`) through
//! every shipped ingestor that accepts it, then the link passes.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = brain_fuzz::ingest_and_link(brain_fuzz::openapi_path(data), data);
});
