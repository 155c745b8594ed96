//! What the delivery code needs from the browser, as traits, and the storage wrapper that falls
//! back to memory when `localStorage` fails.
//!
//! The wasm side implements [`Clock`] with `Date.now()`, [`Random`] with `Math.random()` and
//! [`KeyValue`] with `window.localStorage` (each call in a `try`: every one of them can throw).
//! The tests implement them with a settable clock, a fixed sequence and a map that fails on
//! demand.

use std::cell::RefCell;

/// Milliseconds since the Unix epoch.
pub trait Clock {
    /// The time now, in milliseconds since 1970-01-01T00:00:00Z.
    fn now_ms(&self) -> u64;
}

/// A source of uniform random numbers, for jitter and sampling. Not for secrets.
pub trait Random {
    /// A number in `[0, 1)`, as `Math.random()` returns.
    fn next_f64(&self) -> f64;
}

/// Storage failed: unavailable, blocked, over quota, or the call threw.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StorageError;

/// String key–value storage such as `localStorage`. Every call may fail.
pub trait KeyValue {
    /// The value under `key`, or `None` if there is none.
    fn get(&self, key: &str) -> Result<Option<String>, StorageError>;
    /// Stores `value` under `key`.
    fn set(&self, key: &str, value: &str) -> Result<(), StorageError>;
    /// Removes `key`; removing a missing key is not an error.
    fn remove(&self, key: &str) -> Result<(), StorageError>;
}

/// Storage that is not there, for when even reading `window.localStorage` throws (a sandboxed
/// iframe, storage blocked by the browser's settings). Everything then lives in memory.
#[derive(Clone, Copy, Debug, Default)]
pub struct Unavailable;

impl KeyValue for Unavailable {
    fn get(&self, _: &str) -> Result<Option<String>, StorageError> {
        Err(StorageError)
    }
    fn set(&self, _: &str, _: &str) -> Result<(), StorageError> {
        Err(StorageError)
    }
    fn remove(&self, _: &str) -> Result<(), StorageError> {
        Err(StorageError)
    }
}

/// One key's last value as this page knows it.
struct Slot {
    key: &'static str,
    /// `None` when the page removed the key.
    value: Option<String>,
    /// The last write to storage failed, so storage holds an older value than `value`.
    unsaved: bool,
}

/// What a key holds when read through a [`Store`].
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Read {
    /// The value in storage, if storage could be read and had one.
    pub stored: Option<String>,
    /// The value kept in memory when it is newer than storage, or when storage cannot be read:
    /// the caller merges it with `stored`, so nothing written while storage failed is lost.
    pub memory: Option<String>,
}

/// Namespaced storage with a memory fallback. Every read goes to storage first, so that the
/// state another tab wrote is seen; a failed write keeps the value in memory, and later reads
/// hand it back next to the stored one until a write succeeds again.
pub struct Store {
    kv: Box<dyn KeyValue>,
    memory: RefCell<Vec<Slot>>,
}

impl Store {
    /// A store over `kv`.
    pub fn new(kv: Box<dyn KeyValue>) -> Store {
        Store {
            kv,
            memory: RefCell::new(Vec::new()),
        }
    }

    /// A store that keeps everything in memory, for one page life.
    pub fn memory_only() -> Store {
        Store::new(Box::new(Unavailable))
    }

    /// Reads `key`. Never fails: a storage error yields the memory copy.
    pub fn read(&self, key: &'static str) -> Read {
        let memory = self.memory.borrow();
        let slot = memory.iter().find(|s| s.key == key);
        match self.kv.get(key) {
            Ok(stored) => Read {
                stored,
                memory: slot.filter(|s| s.unsaved).and_then(|s| s.value.clone()),
            },
            Err(StorageError) => Read {
                stored: None,
                memory: slot.and_then(|s| s.value.clone()),
            },
        }
    }

    /// Writes `value` under `key` (or removes the key for `None`). Never fails: the value is
    /// kept in memory either way. Returns whether storage took it.
    pub fn write(&self, key: &'static str, value: Option<String>) -> bool {
        let saved = match &value {
            Some(text) => self.kv.set(key, text).is_ok(),
            None => self.kv.remove(key).is_ok(),
        };
        let mut memory = self.memory.borrow_mut();
        let slot = Slot {
            key,
            value,
            unsaved: !saved,
        };
        match memory.iter_mut().find(|s| s.key == key) {
            Some(existing) => *existing = slot,
            None => memory.push(slot),
        }
        saved
    }
}

/// The state of one storage key: how to write and read it, and merge two copies of it.
///
/// The stored text is lines of tab-separated fields, the first naming the kind of line
/// (`I`, `D`, `T`, …). It is not JSON: a hand-written codec keeps serde's generated code for
/// these structs out of the wasm (about 20 KB before compression), and the text stays readable
/// in the browser's storage inspector.
pub(crate) trait State: Sized + Default {
    /// Appends this state's text to `out`.
    fn encode(&self, out: &mut String);
    /// Reads a state written by [`State::encode`]; `None` for anything else.
    fn decode(text: &str) -> Option<Self>;
    /// Folds `other` (the copy kept in memory after a failed write) into `self` (the stored
    /// copy).
    fn merge(&mut self, other: Self);
}

/// Parses a stored value, or starts fresh when it is missing or corrupted: a bad value in
/// storage must never stop the widget.
pub(crate) fn parse<S: State>(text: Option<String>) -> S {
    text.and_then(|t| S::decode(&t)).unwrap_or_default()
}

/// Loads `key` from `store`, merging in the memory copy.
pub(crate) fn load<S: State>(store: &Store, key: &'static str) -> S {
    let read = store.read(key);
    let mut state: S = parse(read.stored);
    if read.memory.is_some() {
        state.merge(parse(read.memory));
    }
    state
}

/// The stored text of `state`.
pub(crate) fn to_text<S: State>(state: &S) -> String {
    let mut out = String::new();
    state.encode(&mut out);
    out
}

/// Starts a line of kind `tag`.
pub(crate) fn line(out: &mut String, tag: char) {
    if !out.is_empty() {
        out.push('\n');
    }
    out.push(tag);
}

/// Appends a text field; backslash, tab and newline are escaped.
pub(crate) fn text(out: &mut String, value: &str) {
    out.push('\t');
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
}

/// Appends `n` in decimal. Not `to_string()`: that pulls `core::fmt` into the wasm.
pub(crate) fn decimal(out: &mut String, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend(digits[at..].iter().map(|&d| char::from(d)));
}

/// Appends a number field.
pub(crate) fn number(out: &mut String, n: u64) {
    out.push('\t');
    decimal(out, n);
}

/// Appends an optional number field (empty for `None`).
pub(crate) fn maybe_number(out: &mut String, n: Option<u64>) {
    match n {
        Some(n) => number(out, n),
        None => out.push('\t'),
    }
}

/// Reads each line of `text` with `read_line`, which gets the line's kind and its fields;
/// `None` as soon as one line is not understood.
pub(crate) fn decode_lines(
    text: &str,
    mut read_line: impl FnMut(char, &mut Fields<'_>) -> Option<()>,
) -> Option<()> {
    for line in text.split('\n') {
        let mut fields = Fields(line.split('\t'));
        let tag = fields.0.next()?;
        let mut chars = tag.chars();
        let (Some(kind), None) = (chars.next(), chars.next()) else {
            return None;
        };
        read_line(kind, &mut fields)?;
        // Every field must have been read: a longer line is not one this code wrote.
        if fields.0.next().is_some() {
            return None;
        }
    }
    Some(())
}

/// The fields of one stored line, read in order.
pub(crate) struct Fields<'a>(std::str::Split<'a, char>);

impl Fields<'_> {
    /// The next field as text, unescaped.
    pub(crate) fn text(&mut self) -> Option<String> {
        let raw = self.0.next()?;
        let mut out = String::with_capacity(raw.len());
        let mut chars = raw.chars();
        while let Some(c) = chars.next() {
            out.push(match c {
                '\\' => match chars.next()? {
                    '\\' => '\\',
                    't' => '\t',
                    'n' => '\n',
                    _ => return None,
                },
                c => c,
            });
        }
        Some(out)
    }

    /// The next field as a number.
    pub(crate) fn number(&mut self) -> Option<u64> {
        let raw = self.0.next()?;
        if raw.is_empty() || !raw.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        raw.parse().ok()
    }

    /// The next field as an optional number (empty for `None`).
    pub(crate) fn maybe_number(&mut self) -> Option<Option<u64>> {
        let raw = self.0.next()?;
        if raw.is_empty() {
            return Some(None);
        }
        (raw.bytes().all(|b| b.is_ascii_digit()))
            .then(|| raw.parse().ok())
            .flatten()
            .map(Some)
    }
}

#[cfg(test)]
pub(crate) mod testing {
    //! Test doubles: a settable clock, a fixed random sequence, and a map that fails on demand.

    use super::*;
    use std::cell::Cell;
    use std::rc::Rc;

    /// A clock the test sets.
    #[derive(Clone, Default)]
    pub struct TestClock(pub Rc<Cell<u64>>);

    impl TestClock {
        pub fn at(ms: u64) -> TestClock {
            TestClock(Rc::new(Cell::new(ms)))
        }
        pub fn set(&self, ms: u64) {
            self.0.set(ms);
        }
        pub fn advance(&self, ms: u64) {
            self.0.set(self.0.get() + ms);
        }
        pub fn get(&self) -> u64 {
            self.0.get()
        }
    }

    impl Clock for TestClock {
        fn now_ms(&self) -> u64 {
            self.0.get()
        }
    }

    /// Returns the given numbers in turn, then repeats the last one.
    #[derive(Clone, Default)]
    pub struct Sequence(pub Rc<RefCell<Vec<f64>>>);

    impl Sequence {
        pub fn of(values: &[f64]) -> Sequence {
            Sequence(Rc::new(RefCell::new(values.to_vec())))
        }
        /// From now on, `values` in turn, then the last one.
        pub fn set(&self, values: &[f64]) {
            *self.0.borrow_mut() = values.to_vec();
        }
    }

    impl Random for Sequence {
        fn next_f64(&self) -> f64 {
            let mut v = self.0.borrow_mut();
            if v.len() > 1 {
                v.remove(0)
            } else {
                v.first().copied().unwrap_or(0.0)
            }
        }
    }

    /// A `localStorage` stand-in: a shared map (two `MapKv`s over one map are two tabs), with
    /// switches that make each call fail, and an optional quota in bytes.
    #[derive(Clone, Default)]
    pub struct MapKv {
        pub map: Rc<RefCell<Vec<(String, String)>>>,
        pub fail_get: Rc<Cell<bool>>,
        pub fail_set: Rc<Cell<bool>>,
        pub fail_remove: Rc<Cell<bool>>,
        pub quota: Rc<Cell<Option<usize>>>,
    }

    impl MapKv {
        pub fn value(&self, key: &str) -> Option<String> {
            self.map
                .borrow()
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.clone())
        }
        pub fn put(&self, key: &str, value: &str) {
            self.map.borrow_mut().retain(|(k, _)| k != key);
            self.map
                .borrow_mut()
                .push((key.to_owned(), value.to_owned()));
        }
        pub fn keys(&self) -> Vec<String> {
            self.map.borrow().iter().map(|(k, _)| k.clone()).collect()
        }
        /// Every call fails from now on (storage blocked or gone).
        pub fn fail_all(&self) {
            self.fail_get.set(true);
            self.fail_set.set(true);
            self.fail_remove.set(true);
        }
        /// Another tab's view of the same storage, with its own failure switches.
        pub fn other_tab(&self) -> MapKv {
            MapKv {
                map: self.map.clone(),
                ..MapKv::default()
            }
        }
    }

    impl KeyValue for MapKv {
        fn get(&self, key: &str) -> Result<Option<String>, StorageError> {
            if self.fail_get.get() {
                return Err(StorageError);
            }
            Ok(self.value(key))
        }
        fn set(&self, key: &str, value: &str) -> Result<(), StorageError> {
            if self.fail_set.get() {
                return Err(StorageError);
            }
            if let Some(quota) = self.quota.get() {
                let others: usize = self
                    .map
                    .borrow()
                    .iter()
                    .filter(|(k, _)| k != key)
                    .map(|(k, v)| k.len() + v.len())
                    .sum();
                if others + key.len() + value.len() > quota {
                    return Err(StorageError);
                }
            }
            self.put(key, value);
            Ok(())
        }
        fn remove(&self, key: &str) -> Result<(), StorageError> {
            if self.fail_remove.get() {
                return Err(StorageError);
            }
            self.map.borrow_mut().retain(|(k, _)| k != key);
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::testing::MapKv;
    use super::*;

    const KEY: &str = "survey-widget:v1:test";

    #[test]
    fn reads_what_storage_holds_and_writes_through() {
        let kv = MapKv::default();
        let store = Store::new(Box::new(kv.clone()));
        assert_eq!(store.read(KEY), Read::default());
        assert!(store.write(KEY, Some("a".to_owned())));
        assert_eq!(kv.value(KEY).as_deref(), Some("a"));
        assert_eq!(
            store.read(KEY),
            Read {
                stored: Some("a".to_owned()),
                memory: None
            }
        );
        // Another tab changes it: the next read sees that.
        kv.put(KEY, "b");
        assert_eq!(store.read(KEY).stored.as_deref(), Some("b"));
        assert!(store.write(KEY, None));
        assert_eq!(kv.value(KEY), None);
    }

    #[test]
    fn a_failed_set_keeps_the_value_in_memory_next_to_the_stored_one() {
        let kv = MapKv::default();
        kv.put(KEY, "old");
        let store = Store::new(Box::new(kv.clone()));
        kv.fail_set.set(true);
        assert!(!store.write(KEY, Some("new".to_owned())));
        assert_eq!(
            store.read(KEY),
            Read {
                stored: Some("old".to_owned()),
                memory: Some("new".to_owned())
            }
        );
        kv.fail_set.set(false);
        assert!(store.write(KEY, Some("newer".to_owned())));
        assert_eq!(store.read(KEY).memory, None);
    }

    #[test]
    fn a_failed_get_yields_the_memory_copy_even_when_it_was_saved() {
        let kv = MapKv::default();
        let store = Store::new(Box::new(kv.clone()));
        assert!(store.write(KEY, Some("v".to_owned())));
        kv.fail_get.set(true);
        assert_eq!(
            store.read(KEY),
            Read {
                stored: None,
                memory: Some("v".to_owned())
            }
        );
    }

    #[test]
    fn a_failed_remove_is_remembered_as_removed() {
        let kv = MapKv::default();
        let store = Store::new(Box::new(kv.clone()));
        store.write(KEY, Some("v".to_owned()));
        kv.fail_remove.set(true);
        assert!(!store.write(KEY, None));
        kv.fail_get.set(true);
        assert_eq!(store.read(KEY), Read::default());
    }

    #[test]
    fn numbers_and_texts_round_trip_through_the_codec() {
        let mut out = String::new();
        line(&mut out, 'X');
        for n in [0, 7, 10, 1_795_737_600_000, u64::MAX] {
            number(&mut out, n);
        }
        maybe_number(&mut out, None);
        maybe_number(&mut out, Some(5));
        text(&mut out, "a\tb\nc\\d\\t");
        text(&mut out, "");
        assert_eq!(
            out,
            "X\t0\t7\t10\t1795737600000\t18446744073709551615\t\t5\ta\\tb\\nc\\\\d\\\\t\t"
        );
        let mut seen = Vec::new();
        let read = decode_lines(&out, |kind, f| {
            assert_eq!(kind, 'X');
            for _ in 0..5 {
                seen.push(f.number()?);
            }
            assert_eq!(f.maybe_number()?, None);
            assert_eq!(f.maybe_number()?, Some(5));
            assert_eq!(f.text()?, "a\tb\nc\\d\\t");
            assert_eq!(f.text()?, "");
            Some(())
        });
        assert_eq!(read, Some(()));
        assert_eq!(seen, [0, 7, 10, 1_795_737_600_000, u64::MAX]);
    }

    #[test]
    fn the_codec_refuses_what_it_did_not_write() {
        for bad in [
            "",
            "XY\t1",
            "X\t-1",
            "X\t+1",
            "X\t1.5",
            "X\t18446744073709551616",
            "X\t\\",
        ] {
            let read = decode_lines(bad, |_, f| {
                f.number()?;
                Some(())
            });
            assert_eq!(read, None, "{bad:?}");
        }
        let read = decode_lines("X\ta\\", |_, f| f.text().map(drop));
        assert_eq!(read, None);
    }

    #[test]
    fn memory_only_works_without_any_storage() {
        let store = Store::memory_only();
        assert!(!store.write(KEY, Some("v".to_owned())));
        assert_eq!(store.read(KEY).memory.as_deref(), Some("v"));
    }
}
