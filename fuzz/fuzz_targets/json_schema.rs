#![no_main]
//! `schemas/order.schema.json` through every shipped ingestor that accepts it, then the link passes.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = brain_fuzz::ingest_and_link("schemas/order.schema.json", data);
});
