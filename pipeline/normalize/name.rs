//! Texts every row repeats and a run has few of (units, files, sheets), kept once per process
//! as `&'static str`: a response copies a pointer where an `Arc<str>` cost two atomic
//! operations a field (its clone, then its drop; all of a big file's were about 6% of its run).
//!
//! Invariant: only bounded sets of texts are named (the registry's units, the inbox's files and
//! sheets); an answer never is, not even an age band as printed (`20-29 tahun`), since what is
//! named is never freed and answers are free text.

use std::collections::HashSet;
use std::sync::{Mutex, PoisonError};

/// A text kept for the whole process, the same pointer for the same text.
pub type Name = &'static str;

/// `s` as a `Name`.
pub fn name(s: &str) -> Name {
    static NAMES: Mutex<Option<HashSet<Name>>> = Mutex::new(None);
    let mut names = NAMES.lock().unwrap_or_else(PoisonError::into_inner);
    let names = names.get_or_insert_with(HashSet::new);
    if let Some(n) = names.get(s) {
        return n;
    }
    let n: Name = Box::leak(s.into());
    names.insert(n);
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_text_is_the_same_pointer() {
        let a = name("Sekretariat Daerah");
        let b = name(&String::from("Sekretariat Daerah"));
        assert!(std::ptr::eq(a, b));
        assert_eq!(a, "Sekretariat Daerah");
        assert!(!std::ptr::eq(a, name("Sekretariat")));
    }
}
