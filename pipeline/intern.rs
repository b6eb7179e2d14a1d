//! Serde for the `&'static str` labels the pipeline uses (sheet kinds, bases, levels): written
//! as strings, read back as interned static strings (each distinct label leaked once).

use std::collections::HashSet;
use std::sync::Mutex;

use serde::{Deserialize, Deserializer, Serializer};

static LABELS: Mutex<Option<HashSet<&'static str>>> = Mutex::new(None);

pub fn intern(s: &str) -> &'static str {
    let mut guard = LABELS.lock().expect("label table");
    let set = guard.get_or_insert_with(HashSet::new);
    if let Some(v) = set.get(s) {
        return v;
    }
    let leaked: &'static str = Box::leak(s.to_string().into_boxed_str());
    set.insert(leaked);
    leaked
}

pub fn serialize<S: Serializer>(v: &&'static str, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(v)
}

pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<&'static str, D::Error> {
    let s = String::deserialize(d)?;
    Ok(intern(&s))
}

pub mod opt {
    use super::*;

    pub fn serialize<S: Serializer>(v: &Option<&'static str>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(v) => s.serialize_some(v),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<&'static str>, D::Error> {
        Ok(Option::<String>::deserialize(d)?.map(|s| intern(&s)))
    }
}
