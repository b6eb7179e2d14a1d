//! A CSV file with any content through ingest and normalize. Must never panic; the accounting
//! must add up.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    skm_fuzz_common::check(data, "kiriman.csv");
});

mod skm_fuzz_common {
    include!("common.rs");
}
