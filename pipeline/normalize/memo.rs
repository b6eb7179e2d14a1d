//! A per-column memo of cell readings.

use crate::ingest::Cell;

/// A per-column memo of how a cell reads. Sheets repeat a few values over and over (the
/// unit, the profile answers, the dates of a quarter), so each distinct text is read once;
/// the readings memoized are functions of the cell alone.
pub struct Memo<V> {
    map: foldhash::HashMap<Box<str>, V>,
    cap: usize,
}

impl<V: Clone> Memo<V> {
    pub fn new(cap: usize) -> Memo<V> {
        Memo {
            map: foldhash::HashMap::default(),
            cap,
        }
    }

    pub fn get(&mut self, cell: &Cell, read: impl FnOnce(&Cell) -> V) -> V {
        let Cell::Text(t) = cell else {
            return read(cell);
        };
        if let Some(v) = self.map.get(t.as_str()) {
            return v.clone();
        }
        let v = read(cell);
        if self.map.len() < self.cap {
            self.map.insert(t.as_str().into(), v.clone());
        }
        v
    }
}
