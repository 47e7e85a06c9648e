//! Parse results kept between builds (`cache_dir/parsed/`): reading the front matter, the
//! timeline and the action items of ten thousand postmortems is a quarter of a rebuild in CI,
//! and nearly all of them are the same files as last time.
//!
//! An entry's key is the file's path and bytes, salted with the configuration (time zones,
//! services, severities and every other setting the parse reads) and this build of aftermath:
//! parsing is a function of those alone (nothing in it depends on the as-of time). The
//! payload is the whole result, the incident and every message about the file, so a cached
//! build says exactly what a cold one says. It is JSON (`serde_json` with exact float round
//! trips, so the `extra` table comes back bit for bit).

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::Loaded;
use crate::config::Config;
use crate::store::{Key, Store};

/// Parse results under the site's cache folder.
#[derive(Debug)]
pub struct ParsedStore {
    store: Store,
    /// How many results this build took from the store.
    hits: AtomicUsize,
}

impl ParsedStore {
    /// The store in `cache_dir` for files parsed with `config`.
    pub fn new(cache_dir: &Path, config: &Config) -> ParsedStore {
        ParsedStore {
            store: Store::new(cache_dir.join("parsed"), format!("{config:?}")),
            hits: AtomicUsize::new(0),
        }
    }

    /// How many results [`get`](Self::get) has found.
    pub fn hits(&self) -> usize {
        self.hits.load(Ordering::Relaxed)
    }

    /// The key of the file at `relative` (from the site root) holding `bytes`.
    pub fn key(&self, relative: &Path, bytes: &[u8]) -> Key {
        self.store.key(&(relative, bytes))
    }

    /// The result stored under `key`, if a whole and valid entry holds it.
    pub fn get(&self, key: &Key) -> Option<Loaded> {
        let loaded = serde_json::from_slice(&self.store.get(key)?).ok()?;
        self.hits.fetch_add(1, Ordering::Relaxed);
        Some(loaded)
    }

    pub fn put(&self, key: &Key, loaded: &Loaded) {
        if let Ok(payload) = serde_json::to_vec(loaded) {
            self.store.put(key, &payload);
        }
    }

    /// Removes the entries no build has used for a week.
    pub fn prune(&self) {
        self.store.prune();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::parse_postmortem;

    /// Every postmortem of the demo site comes back from the store equal to its parse, and so
    /// does a file with errors and warnings.
    #[test]
    fn every_demo_postmortem_comes_back_exactly_as_parsed() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let config = Config::load_checked(root).0;
        let dir = tempfile::tempdir().unwrap();
        let store = ParsedStore::new(dir.path(), &config);
        let mut compared = 0;
        for entry in walkdir::WalkDir::new(root.join("content")) {
            let path = entry.unwrap().into_path();
            if path.extension().is_none_or(|e| e != "md") {
                continue;
            }
            let relative = path.strip_prefix(root).unwrap();
            let text = std::fs::read_to_string(&path).unwrap();
            let parsed = parse_postmortem(&text, relative, &config);
            let key = store.key(relative, text.as_bytes());
            store.put(&key, &parsed);
            assert_eq!(store.get(&key).as_ref(), Some(&parsed), "{path:?}");
            compared += 1;
        }
        assert!(compared >= 20, "only {compared} demo postmortems compared");

        let broken = "+++\ntitle = \"Broken\"\nstart = 2025-01-01T10:00:00\nend = 2025-01-01T09:00:00Z\n+++\n## Timeline\n- 08:00 before the start\n";
        let file = Path::new("content/broken.md");
        let parsed = parse_postmortem(broken, file, &config);
        assert!(parsed.0.is_none() && parsed.1.len() >= 2, "{:?}", parsed.1);
        let key = store.key(file, broken.as_bytes());
        store.put(&key, &parsed);
        assert_eq!(store.get(&key), Some(parsed));
    }

    #[test]
    fn extra_values_come_back_bit_for_bit_and_the_config_keys_every_entry() {
        let config = Config::default();
        let text = "+++\ntitle = \"Floats\"\nstart = 2025-01-01T00:00:00Z\nend = 2025-01-01T01:00:00Z\n[extra]\nratio = 0.30000000000000004\ntiny = 1.0715660391465826e-75\nbig = -1.603964615428183e+143\n+++\nBody.\n";
        let file = Path::new("content/floats.md");
        let parsed = parse_postmortem(text, file, &config);
        assert!(parsed.0.is_some(), "{:?}", parsed.1);
        let dir = tempfile::tempdir().unwrap();
        let store = ParsedStore::new(dir.path(), &config);
        let key = store.key(file, text.as_bytes());
        store.put(&key, &parsed);
        assert_eq!(store.get(&key), Some(parsed));
        assert_ne!(
            store.key(Path::new("content/other.md"), text.as_bytes()),
            key
        );

        let other = Config {
            timezone: chrono_tz::Europe::Paris,
            ..Config::default()
        };
        let elsewhere = ParsedStore::new(dir.path(), &other);
        assert_eq!(elsewhere.get(&elsewhere.key(file, text.as_bytes())), None);
    }
}
