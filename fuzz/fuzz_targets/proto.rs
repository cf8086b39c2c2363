#![no_main]
//! `api/orders.proto` through every shipped ingestor that accepts it, then the link passes.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = brain_fuzz::ingest_and_link("api/orders.proto", data);
});
