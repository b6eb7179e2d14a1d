//! The number parser: any text, every column kind. Must never panic; a value it accepts must
//! fall in the kind's range.
#![no_main]
use libfuzzer_sys::fuzz_target;
use skm::domain::number::{parse, Kind};

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    for kind in [Kind::Money, Kind::Nrr, Kind::Ikm, Kind::Percent, Kind::Any] {
        if let Ok(Some(p)) = parse(s, kind) {
            if kind == Kind::Nrr {
                assert!(p.value >= 1.into() && p.value <= 4.into(), "{s:?} → {}", p.value);
            }
        }
    }
});
