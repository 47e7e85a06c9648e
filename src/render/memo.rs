//! Values built on first use and kept for the rest of a build, one slot per position in one of
//! the site's lists (its incidents): the pages that show the same entry share one value instead
//! of each building its own. Whichever page builds a value first, it is the
//! same value, so the output does not depend on the order pages are rendered in.

use std::sync::{Arc, OnceLock};

/// One value per position, each built the first time it is asked for.
pub struct Built<T> {
    slots: Vec<OnceLock<Arc<T>>>,
}

impl<T> Built<T> {
    /// Room for a list of `len` entries.
    pub fn new(len: usize) -> Self {
        Built {
            slots: (0..len).map(|_| OnceLock::new()).collect(),
        }
    }

    /// The value at `index`, made by `build` the first time. An index past the list is built
    /// and not kept.
    pub fn get(&self, index: usize, build: impl FnOnce() -> T) -> Arc<T> {
        match self.slots.get(index) {
            Some(slot) => slot.get_or_init(|| Arc::new(build())).clone(),
            None => Arc::new(build()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn each_value_is_built_once_and_shared() {
        let built = Built::new(2);
        let builds = AtomicUsize::new(0);
        let make = |text: &str| {
            builds.fetch_add(1, Ordering::Relaxed);
            text.to_string()
        };
        let first = built.get(0, || make("a"));
        let again = built.get(0, || make("not used"));
        assert_eq!(*again, "a");
        assert!(Arc::ptr_eq(&first, &again));
        assert_eq!(*built.get(1, || make("b")), "b");
        assert_eq!(builds.load(Ordering::Relaxed), 2);

        // Past the end: built every time, kept never.
        assert_eq!(*built.get(2, || make("c")), "c");
        assert_eq!(*built.get(2, || make("d")), "d");
        assert_eq!(builds.load(Ordering::Relaxed), 4);
    }
}
