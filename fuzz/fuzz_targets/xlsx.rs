//! An XLSX file with any content (starting from real workbooks in the corpus) through ingest
//! and normalize. Must never panic; the accounting must add up.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    skm_fuzz_common::check(data, "kiriman.xlsx");
});

mod skm_fuzz_common {
    include!("common.rs");
}
