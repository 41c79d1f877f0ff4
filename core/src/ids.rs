//! Caller ids (string or integer) interned to dense `u32` codes.

use std::collections::HashMap;
use std::fmt;
use std::hash::BuildHasherDefault;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// Fast, deterministic hasher for interning (FxHash-style multiply-rotate).
#[derive(Default, Clone, Copy)]
pub(crate) struct FxHasher(u64);

impl std::hash::Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut b = [0u8; 8];
            b.copy_from_slice(c);
            self.add(u64::from_le_bytes(b));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut b = [0u8; 8];
            b[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(b) ^ (rest.len() as u64) << 56);
        }
    }
    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(i as u64)
    }
    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.add(i as u64)
    }
    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.add(i)
    }
    #[inline]
    fn write_i64(&mut self, i: i64) {
        self.add(i as u64)
    }
    #[inline]
    fn write_u128(&mut self, i: u128) {
        self.add(i as u64);
        self.add((i >> 64) as u64);
    }
    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64)
    }
    #[inline]
    fn finish(&self) -> u64 {
        // Final avalanche so that the low bits used by the table depend on all input bits.
        let mut h = self.0;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        h
    }
}

impl FxHasher {
    #[inline]
    fn add(&mut self, w: u64) {
        self.0 = (self.0.rotate_left(5) ^ w).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

/// `HashMap` with the interning hasher.
pub(crate) type FxHashMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// A caller's identifier: an integer or a string.
///
/// Integers sort before strings; within a kind the natural order applies. Rankings use this
/// order to break ties, so results never depend on the order of input rows.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Id {
    /// An integer id.
    Int(i64),
    /// A string id.
    Str(String),
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Id::Int(i) => write!(f, "{i}"),
            Id::Str(s) => f.write_str(s),
        }
    }
}

impl From<i64> for Id {
    fn from(v: i64) -> Self {
        Id::Int(v)
    }
}

impl From<&str> for Id {
    fn from(v: &str) -> Self {
        Id::Str(v.to_string())
    }
}

impl From<String> for Id {
    fn from(v: String) -> Self {
        Id::Str(v)
    }
}

/// A borrowed [`Id`], ordered the same way (integers before strings).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum IdRef<'a> {
    Int(i64),
    Str(&'a str),
}

/// The ids of one kind (orders, products, ...) in code order: code `c` maps to `id(c)`.
///
/// Strings are kept in one arena, so a dictionary costs a few bytes per id.
#[derive(Debug, Clone, Default)]
pub struct Dictionary {
    store: IdStore,
    lookup: OnceLock<FxHashMap<Id, u32>>,
}

#[derive(Debug, Clone)]
enum IdStore {
    Int(Vec<i64>),
    Str { bytes: String, ends: Vec<u32> },
    Mixed(Vec<Id>),
}

impl Default for IdStore {
    fn default() -> Self {
        IdStore::Int(Vec::new())
    }
}

impl Dictionary {
    /// A dictionary of the given ids; code `i` is `ids[i]`. Duplicates are an error.
    pub fn from_ids(ids: Vec<Id>) -> Result<Self> {
        let mut interner = Interner::default();
        for id in &ids {
            let before = interner.len();
            interner.intern(id.clone());
            if interner.len() == before {
                return Err(Error::invalid_parameter("ids", format!("duplicate id `{id}`")));
            }
        }
        Ok(interner.finish())
    }

    /// A dictionary of `ids` that may repeat (orders split by store); [`Dictionary::code`]
    /// then finds one of the codes.
    pub(crate) fn from_ids_unchecked(ids: Vec<Id>) -> Self {
        Dictionary { store: IdStore::Mixed(ids), lookup: OnceLock::new() }
    }

    /// Number of ids.
    pub fn len(&self) -> usize {
        match &self.store {
            IdStore::Int(v) => v.len(),
            IdStore::Str { ends, .. } => ends.len(),
            IdStore::Mixed(v) => v.len(),
        }
    }

    /// Whether there are no ids.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The id of `code`. Codes come from the same table, so an out-of-range code is a caller
    /// bug; it yields an empty string id rather than a panic.
    pub fn id(&self, code: u32) -> Id {
        let c = code as usize;
        match &self.store {
            IdStore::Int(v) => v.get(c).map(|&i| Id::Int(i)).unwrap_or(Id::Str(String::new())),
            IdStore::Str { bytes, ends } => {
                if c >= ends.len() {
                    return Id::Str(String::new());
                }
                let start = if c == 0 { 0 } else { ends[c - 1] as usize };
                Id::Str(bytes.get(start..ends[c] as usize).unwrap_or("").to_string())
            }
            IdStore::Mixed(v) => v.get(c).cloned().unwrap_or(Id::Str(String::new())),
        }
    }

    /// The code of `id`, if present.
    pub fn code(&self, id: &Id) -> Option<u32> {
        self.lookup.get_or_init(|| (0..self.len() as u32).map(|c| (self.id(c), c)).collect()).get(id).copied()
    }

    /// The id of `code`, borrowed (out-of-range codes read as an empty string, as in [`Dictionary::id`]).
    fn key(&self, code: u32) -> IdRef<'_> {
        let c = code as usize;
        match &self.store {
            IdStore::Int(v) => v.get(c).map_or(IdRef::Str(""), |&i| IdRef::Int(i)),
            IdStore::Str { bytes, ends } => {
                let start = if c == 0 { Some(0) } else { ends.get(c - 1).map(|&e| e as usize) };
                let end = ends.get(c).map(|&e| e as usize);
                IdRef::Str(start.zip(end).and_then(|(a, b)| bytes.get(a..b)).unwrap_or(""))
            }
            IdStore::Mixed(v) => match v.get(c) {
                Some(Id::Int(i)) => IdRef::Int(*i),
                Some(Id::Str(s)) => IdRef::Str(s),
                None => IdRef::Str(""),
            },
        }
    }

    /// Sorts `codes` by their ids ([`Id`] order) without building the ids; a no-op check when
    /// they are already in order (e.g. ids interned in sorted order).
    pub(crate) fn sort_codes_by_id(&self, codes: &mut [u32]) {
        if codes.is_sorted_by(|&a, &b| self.key(a) <= self.key(b)) {
            return;
        }
        if let IdStore::Int(ids) = &self.store
            && codes.iter().all(|&c| (c as usize) < ids.len())
        {
            // Integer ids are distinct, so an unstable sort of (id, code) pairs gives the same order.
            let mut pairs: Vec<(i64, u32)> =
                codes.iter().map(|&c| (ids.get(c as usize).copied().unwrap_or(i64::MAX), c)).collect();
            pairs.sort_unstable();
            codes.iter_mut().zip(pairs).for_each(|(c, (_, code))| *c = code);
            return;
        }
        codes.sort_by(|&a, &b| self.key(a).cmp(&self.key(b)));
    }

    /// All ids in code order.
    pub fn ids(&self) -> Vec<Id> {
        (0..self.len() as u32).map(|c| self.id(c)).collect()
    }

    /// Approximate heap size in bytes (excluding the lazily built reverse lookup).
    pub fn heap_bytes(&self) -> usize {
        match &self.store {
            IdStore::Int(v) => v.capacity() * 8,
            IdStore::Str { bytes, ends } => bytes.capacity() + ends.capacity() * 4,
            IdStore::Mixed(v) => v.capacity() * std::mem::size_of::<Id>(),
        }
    }
}

/// The lookup key of a string id: strings of at most 7 or 15 bytes as one integer (the bytes,
/// zero-padded, and the length in the last byte, so `"a"` and `"a\0"` differ); longer strings
/// by their text.
#[derive(Clone, Copy)]
enum StrKey {
    Tiny(u64),
    Short(u128),
    Long,
}

impl StrKey {
    #[inline]
    fn of(s: &str) -> StrKey {
        let bytes = s.as_bytes();
        let n = bytes.len();
        if n <= 7 {
            let mut buf = [0u8; 8];
            buf[..n].copy_from_slice(bytes);
            buf[7] = n as u8;
            StrKey::Tiny(u64::from_le_bytes(buf))
        } else if n <= 15 {
            let mut buf = [0u8; 16];
            buf[..n].copy_from_slice(bytes);
            buf[15] = n as u8;
            StrKey::Short(u128::from_le_bytes(buf))
        } else {
            StrKey::Long
        }
    }
}

/// Builds a [`Dictionary`] while assigning codes in order of first appearance.
#[derive(Debug, Default)]
pub(crate) struct Interner {
    ints: FxHashMap<i64, u32>,
    /// Strings of up to 7 and up to 15 bytes, packed into one integer key (see [`StrKey`]): no
    /// pointer to follow and no byte comparison on a lookup, and small table entries. Most ids
    /// are short.
    tiny: FxHashMap<u64, u32>,
    short: FxHashMap<u128, u32>,
    strs: FxHashMap<Box<str>, u32>,
    order: Vec<Id>,
    int_only: Vec<i64>,
    all_int: bool,
    started: bool,
    /// `ints` has not been filled yet (after [`Interner::from_dense_ints`]).
    unindexed: bool,
}

impl Interner {
    pub(crate) fn len(&self) -> usize {
        if self.all_int || !self.started { self.int_only.len() } else { self.order.len() }
    }

    /// Interns integer ids that all lie in `min..min + span` through a table indexed by value
    /// instead of hashing (sequential order numbers, for example). Codes are appended to
    /// `codes` (`null_code` for a null) and are the same as [`Interner::intern_int`] would give.
    /// `None` (and `codes` left as it was) if a value lies outside the range.
    #[cfg(feature = "polars")]
    pub(crate) fn from_dense_ints(
        values: impl Iterator<Item = Option<i64>>,
        min: i64,
        span: usize,
        null_code: u32,
        codes: &mut Vec<u32>,
    ) -> Option<Interner> {
        let before = codes.len();
        let mut slots = vec![u32::MAX; span];
        let mut distinct = Vec::new();
        for v in values {
            let code = match v {
                None => null_code,
                Some(v) => {
                    let slot = v.checked_sub(min).and_then(|d| usize::try_from(d).ok()).and_then(|i| slots.get_mut(i));
                    let Some(slot) = slot else {
                        codes.truncate(before);
                        return None;
                    };
                    if *slot == u32::MAX {
                        *slot = distinct.len() as u32;
                        distinct.push(v);
                    }
                    *slot
                }
            };
            codes.push(code);
        }
        Some(Interner {
            started: !distinct.is_empty(),
            all_int: !distinct.is_empty(),
            int_only: distinct,
            unindexed: true,
            ..Interner::default()
        })
    }

    /// Fills the integer lookup after a dense interning, before any further lookup.
    #[cold]
    fn index_ints(&mut self) {
        self.unindexed = false;
        self.ints = self.int_only.iter().enumerate().map(|(c, &v)| (v, c as u32)).collect();
    }

    #[inline]
    pub(crate) fn intern_int(&mut self, v: i64) -> u32 {
        if self.unindexed {
            self.index_ints();
        }
        if !self.started {
            self.started = true;
            self.all_int = true;
        }
        if let Some(&c) = self.ints.get(&v) {
            return c;
        }
        let c = self.len() as u32;
        self.ints.insert(v, c);
        if self.all_int {
            self.int_only.push(v);
        } else {
            self.order.push(Id::Int(v));
        }
        c
    }

    #[inline]
    pub(crate) fn intern_str(&mut self, v: &str) -> u32 {
        let key = StrKey::of(v);
        let found = match key {
            StrKey::Tiny(k) => self.tiny.get(&k),
            StrKey::Short(k) => self.short.get(&k),
            StrKey::Long => self.strs.get(v),
        };
        if let Some(&c) = found {
            return c;
        }
        if !self.started {
            self.started = true;
        } else if self.all_int {
            self.order = self.int_only.drain(..).map(Id::Int).collect();
        }
        self.all_int = false;
        let c = self.order.len() as u32;
        match key {
            StrKey::Tiny(k) => self.tiny.insert(k, c),
            StrKey::Short(k) => self.short.insert(k, c),
            StrKey::Long => self.strs.insert(v.into(), c),
        };
        self.order.push(Id::Str(v.to_string()));
        c
    }

    pub(crate) fn intern(&mut self, id: Id) -> u32 {
        match id {
            Id::Int(i) => self.intern_int(i),
            Id::Str(s) => self.intern_str(&s),
        }
    }

    /// The id of `code` (an empty string id if out of range).
    pub(crate) fn id(&self, code: u32) -> Id {
        let c = code as usize;
        if self.all_int || !self.started {
            self.int_only.get(c).map(|&i| Id::Int(i)).unwrap_or(Id::Str(String::new()))
        } else {
            self.order.get(c).cloned().unwrap_or(Id::Str(String::new()))
        }
    }

    /// All ids in code order.
    pub(crate) fn ids(&self) -> Vec<Id> {
        (0..self.len() as u32).map(|c| self.id(c)).collect()
    }

    pub(crate) fn finish(self) -> Dictionary {
        let store = if self.all_int || !self.started {
            IdStore::Int(self.int_only)
        } else if self.order.iter().all(|i| matches!(i, Id::Str(_))) {
            let mut bytes = String::new();
            let mut ends = Vec::with_capacity(self.order.len());
            for id in &self.order {
                if let Id::Str(s) = id {
                    bytes.push_str(s);
                }
                ends.push(bytes.len() as u32);
            }
            IdStore::Str { bytes, ends }
        } else {
            IdStore::Mixed(self.order)
        };
        Dictionary { store, lookup: OnceLock::new() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg(feature = "polars")]
    fn dense_integer_interning_matches_hashing() {
        let values = [Some(12), Some(10), None, Some(12), Some(11), Some(10), None];
        let mut hashed = Interner::default();
        let want: Vec<u32> = values.iter().map(|v| v.map_or(99, |v| hashed.intern_int(v))).collect();
        let mut codes = vec![7];
        let mut dense = Interner::from_dense_ints(values.iter().copied(), 10, 3, 99, &mut codes).expect("in range");
        assert_eq!(codes[1..], want[..]);
        assert_eq!(dense.ids(), hashed.ids());
        // Lookups after the dense pass see every value; new values get the next code.
        assert_eq!(dense.intern_int(11), hashed.intern_int(11));
        assert_eq!(dense.intern_int(500), 3);
        assert_eq!(dense.intern_str("x"), 4);
        assert_eq!(dense.intern_int(12), 0);
        // A value outside the range: no interner, codes untouched.
        let mut codes = vec![7];
        assert!(Interner::from_dense_ints([Some(10), Some(13)].into_iter(), 10, 3, 0, &mut codes).is_none());
        assert!(Interner::from_dense_ints([Some(i64::MIN)].into_iter(), 10, 3, 0, &mut codes).is_none());
        assert_eq!(codes, vec![7]);
    }

    #[test]
    fn short_and_long_strings_keep_distinct_codes() {
        let long = "a-product-id-longer-than-fifteen-bytes";
        let values = ["a", "a\0", "", "\0", "seven-7", "eight--8", "exactly15bytes!", "exactly16bytes!!", long, "é"];
        let mut i = Interner::default();
        let codes: Vec<u32> = values.iter().map(|v| i.intern_str(v)).collect();
        assert_eq!(codes, (0..values.len() as u32).collect::<Vec<_>>());
        let again: Vec<u32> = values.iter().map(|v| i.intern_str(v)).collect();
        assert_eq!(again, codes);
        let d = i.finish();
        for (c, v) in values.iter().enumerate() {
            assert_eq!(d.id(c as u32), Id::Str((*v).into()));
        }
    }

    #[test]
    fn interns_in_first_appearance_order() {
        let mut i = Interner::default();
        assert_eq!(i.intern_str("b"), 0);
        assert_eq!(i.intern_str("a"), 1);
        assert_eq!(i.intern_str("b"), 0);
        let d = i.finish();
        assert_eq!(d.id(1), Id::Str("a".into()));
        assert_eq!(d.code(&Id::Str("b".into())), Some(0));
        assert_eq!(d.code(&Id::Int(3)), None);
    }

    #[test]
    fn mixed_ids_keep_their_kind() {
        let mut i = Interner::default();
        i.intern_int(7);
        i.intern_str("x");
        let d = i.finish();
        assert_eq!(d.ids(), vec![Id::Int(7), Id::Str("x".into())]);
        assert!(Id::Int(100) < Id::Str("0".into()));
    }
}
