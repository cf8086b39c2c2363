#![no_main]
//! `brain_query::diff::parse_unified_diff`, as `brain impact --range` and `review` call it.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = brain_fuzz::unified_diff(data);
});
