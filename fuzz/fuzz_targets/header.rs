//! Header mapping and the small parsers around it: column headers, periods, unit names,
//! answers, dates, ages. Must never panic.
#![no_main]
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use skm::domain::{Periode, UNSUR};
use skm::ingest::Cell;
use skm::normalize::header::Layout;
use skm::normalize::values;
use skm::registry::Registry;

fn fixtures() -> &'static (Layout, Registry, skm::normalize::realisasi::Layouts) {
    static F: OnceLock<(Layout, Registry, skm::normalize::realisasi::Layouts)> = OnceLock::new();
    F.get_or_init(|| {
        let order: Vec<String> = UNSUR.iter().map(|u| u.key.to_string()).collect();
        (
            Layout::new(&order).unwrap(),
            Registry::embedded(),
            skm::normalize::realisasi::Layouts::embedded().unwrap(),
        )
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    let (layout, registry, real) = fixtures();
    let _ = layout.map(s);
    let _ = Periode::parse(s);
    let _ = registry.lookup_fuzzy(s);
    let _ = real.detect(&s.split('\t').map(str::to_string).collect::<Vec<_>>());
    let cell = Cell::Text(s.into());
    for u in UNSUR.iter() {
        let _ = values::answer(&cell, u, &skm::normalize::scale::ColumnScale::Own, &[]);
    }
    let _ = values::date(&cell, skm::domain::DateOrder::HariBulan);
    let _ = values::date(&cell, skm::domain::DateOrder::BulanHari);
    let _ = values::umur(&cell);
    let _ = values::year_in_text(s);
    let _ = skm::normalize::pii::looks_personal(s);
});
