//! Name-keyed maps that serialize as arrays of their values.
//!
//! Keys are compound (`QualifiedName`, `RoutineKey`), which JSON objects cannot
//! hold; every value carries its own key, so the array form loses nothing and
//! reads naturally. Order is the map's key order, so the JSON is canonical.

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::BTreeMap;

/// A value that knows the key it is stored under.
pub trait Keyed {
    /// The map key type.
    type Key: Ord + Clone + std::fmt::Debug;
    /// The key of this value.
    fn key(&self) -> Self::Key;
}

/// Serialize a keyed map as a sequence of its values.
pub fn serialize<S, V>(map: &BTreeMap<V::Key, V>, serializer: S) -> Result<S::Ok, S::Error>
where
    S: Serializer,
    V: Keyed + Serialize,
{
    serializer.collect_seq(map.values())
}

/// Rebuild a keyed map from a sequence; duplicate keys are an error.
pub fn deserialize<'de, D, V>(deserializer: D) -> Result<BTreeMap<V::Key, V>, D::Error>
where
    D: Deserializer<'de>,
    V: Keyed + Deserialize<'de>,
{
    let values = Vec::<V>::deserialize(deserializer)?;
    let mut map = BTreeMap::new();
    for value in values {
        let key = value.key();
        if map.contains_key(&key) {
            return Err(D::Error::custom(format!("duplicate object {key:?}")));
        }
        map.insert(key, value);
    }
    Ok(map)
}

/// Insert a value under its own key, returning the value it replaced.
pub fn insert<V: Keyed>(map: &mut BTreeMap<V::Key, V>, value: V) -> Option<V> {
    map.insert(value.key(), value)
}
