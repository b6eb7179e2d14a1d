//! A per-column memo of cell readings.

use crate::ingest::Cell;

/// A per-column memo of how a cell reads. Sheets repeat a few values over and over (the
/// unit, the profile answers, the dates of a quarter), so each distinct text is read once;
/// the readings memoized are functions of the cell alone.
///
/// A text is looked for first in a small table of recent texts indexed by a product of its
/// first and last eight bytes (`front`), then in the hash map: on a big file the memos were
/// ~6% of the time, most of it hashing and `memcmp`. The front table keeps those bytes
/// itself: a text of at most 16 bytes (a date, a profile answer) is found equal there,
/// without loading its entry's key from elsewhere in memory.
pub struct Memo<V> {
    /// The texts read, with their readings, in order of first reading.
    entries: Vec<(Box<str>, V)>,
    map: foldhash::HashMap<Box<str>, u32>,
    cap: usize,
    /// A recent text per slot (`Probe::slot`).
    front: [Front; FRONT],
}

/// A text in the front table: its first and last eight bytes (`Probe`), its length, and its
/// entry index + 1 (0: none).
#[derive(Clone, Copy, Default)]
struct Front {
    a: u64,
    b: u64,
    len: u32,
    k: u32,
}

const FRONT: usize = 1 << FRONT_BITS;
/// 256 slots: a year's dates (366 texts `dd/mm/yyyy` in any order) mostly find their own.
const FRONT_BITS: u32 = 8;

impl<V: Clone> Memo<V> {
    pub fn new(cap: usize) -> Memo<V> {
        Memo {
            entries: Vec::new(),
            map: foldhash::HashMap::default(),
            cap,
            front: [Front::default(); FRONT],
        }
    }

    pub fn get(&mut self, cell: &Cell, read: impl FnOnce(&Cell) -> V) -> V {
        let Cell::Text(t) = cell else {
            return read(cell);
        };
        let bytes = t.as_bytes();
        let p = Probe::of(bytes);
        let slot = p.slot();
        let f = self.front[slot];
        if f.k != 0 && f.len as usize == bytes.len() && f.a == p.a && f.b == p.b {
            let (key, v) = &self.entries[f.k as usize - 1];
            // (Up to 16 bytes, the two words are the whole text.)
            if bytes.len() <= 16 || same(key.as_bytes(), bytes) {
                return v.clone();
            }
        }
        let front = |k: u32| Front {
            a: p.a,
            b: p.b,
            len: bytes.len() as u32,
            k: k + 1,
        };
        if let Some(&k) = self.map.get(t.as_str()) {
            self.front[slot] = front(k);
            return self.entries[k as usize].1.clone();
        }
        let v = read(cell);
        if self.map.len() < self.cap {
            let k = self.entries.len() as u32;
            self.entries.push((t.as_str().into(), v.clone()));
            self.map.insert(t.as_str().into(), k);
            self.front[slot] = front(k);
        }
        v
    }
}

/// A text's first and last eight bytes (fewer for a shorter text: its first and last four,
/// or its first, middle and last byte), which with its length are the whole of a text of at
/// most 16 bytes.
struct Probe {
    a: u64,
    b: u64,
    n: usize,
}

impl Probe {
    #[inline]
    fn of(b: &[u8]) -> Probe {
        let n = b.len();
        let word = |at: usize| u64::from_le_bytes(b[at..at + 8].try_into().expect("8"));
        let half = |at: usize| u64::from(u32::from_le_bytes(b[at..at + 4].try_into().expect("4")));
        let (a, b) = match n {
            8.. => (word(0), word(n - 8)),
            4..=7 => (half(0), half(n - 4)),
            1..=3 => (
                u64::from(b[0]) << 16 | u64::from(b[n / 2]) << 8 | u64::from(b[n - 1]),
                0,
            ),
            0 => (0, 0),
        };
        Probe { a, b, n }
    }

    /// The text's slot in `front`: its bytes taken and its length, multiplied and the
    /// product's high bits taken. (Its first, middle and last bytes were too few: every date
    /// `dd/mm/2024` fell into the four slots of its first digit.)
    #[inline]
    fn slot(&self) -> usize {
        let x = match self.n {
            8.. => self.a ^ self.b.rotate_left(32),
            4..=7 => self.a << 32 | self.b,
            _ => self.a,
        };
        ((x ^ self.n as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (u64::BITS - FRONT_BITS))
            as usize
    }
}

/// A text's slot in `front` (`Probe::slot`).
#[cfg(test)]
fn slot(b: &[u8]) -> usize {
    Probe::of(b).slot()
}

/// `a == b`, a text of up to 32 bytes compared as overlapping words (the unit names and
/// profile answers a memo holds are mostly 8–32 bytes: `memcmp` was ~2% of a big file's run).
#[inline]
fn same(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() {
        return false;
    }
    let word = |s: &[u8], at: usize| u64::from_le_bytes(s[at..at + 8].try_into().expect("8"));
    let half = |s: &[u8], at: usize| u32::from_le_bytes(s[at..at + 4].try_into().expect("4"));
    match n {
        17..=32 => {
            word(a, 0) == word(b, 0)
                && word(a, 8) == word(b, 8)
                && word(a, n - 16) == word(b, n - 16)
                && word(a, n - 8) == word(b, n - 8)
        }
        8..=16 => word(a, 0) == word(b, 0) && word(a, n - 8) == word(b, n - 8),
        4..=7 => half(a, 0) == half(b, 0) && half(a, n - 4) == half(b, n - 4),
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::Text;

    #[test]
    fn same_is_equality() {
        let texts = [
            "",
            "a",
            "ab",
            "abc",
            "abcd",
            "abce",
            "abcde",
            "abXde",
            "Perempuan",
            "Perempuam",
            "Laki-laki",
            "Laki-lakj",
            "12345678",
            "12345679",
            "0123456789abcdef",
            "0123456789abcdeF",
            "0123456789abcdefg",
            "0123456789abcdefh",
            "Dinas Kependudukan dan Catatan S",
            "Dinas Kependudukan dan Catatan s",
            "dinas Kependudukan dan Catatan S",
            "Dinas Kependudukan dan Xatatan S",
            "Dinas Kependudukan dan Catatan",
            "Dinas Kependudukan dan Catatam",
            "Kecamatan Bekasi Utara",
            "Kecamatan Bekasi Utarb",
            "Kecamatan Bekasi Ut",
        ];
        for a in texts {
            for b in texts {
                assert_eq!(same(a.as_bytes(), b.as_bytes()), a == b, "{a:?} {b:?}");
            }
        }
    }

    /// A year's dates as a form tool writes them fill most of the front table, with and
    /// without a time of day (with one, the date part is what the date memo is given).
    #[test]
    fn dates_of_a_year_spread_over_the_front() {
        let days = chrono::NaiveDate::from_ymd_opt(2024, 1, 1)
            .unwrap()
            .iter_days()
            .take(366);
        for format in ["%d/%m/%Y", "%-m/%-d/%Y", "%Y-%m-%d"] {
            let slots: std::collections::HashSet<usize> = days
                .clone()
                .map(|d| slot(d.format(format).to_string().as_bytes()))
                .collect();
            assert!(slots.len() >= 150, "{format}: {} slots", slots.len());
        }
    }

    /// Texts of every length, and texts alike in their first and last eight bytes (one byte
    /// changed anywhere), read in turn many times: each gets its own reading, from the front
    /// table or not.
    #[test]
    fn a_memo_never_gives_one_texts_reading_for_another() {
        let mut texts = Vec::new();
        for n in 0..40 {
            let base: Vec<u8> = (0..n).map(|i| b'a' + (i % 26) as u8).collect();
            texts.push(base.clone());
            for at in 0..n {
                let mut v = base.clone();
                v[at] = b'Z';
                texts.push(v);
            }
        }
        let texts: Vec<String> = texts
            .into_iter()
            .map(|t| String::from_utf8(t).unwrap())
            .collect();
        let mut m: Memo<String> = Memo::new(usize::MAX);
        for _ in 0..3 {
            for t in texts.iter().chain(texts.iter().rev()) {
                let got = m.get(&Cell::Text(Text::Borrowed(t)), |c| c.display().to_string());
                assert_eq!(&got, t);
            }
        }
    }

    #[test]
    fn a_memo_reads_each_text_once_and_gives_its_reading() {
        let mut m: Memo<String> = Memo::new(3);
        let mut reads = 0;
        let texts = ["SMA", "S1", "SMA", "D3", "S1", "SMP", "SMP", "SMA", "Sma"];
        for t in texts {
            let cell = Cell::Text(Text::Borrowed(t));
            let got = m.get(&cell, |c| {
                reads += 1;
                format!("<{}>", c.display())
            });
            assert_eq!(got, format!("<{t}>"));
        }
        // SMA, S1, D3 memoized (cap 3); SMP twice and Sma once read past the cap.
        assert_eq!(reads, 3 + 2 + 1);
        assert_eq!(m.get(&Cell::Empty, |_| "empty".into()), "empty");
    }
}
