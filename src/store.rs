//! Files kept between builds under `cache_dir`, so a rebuild of a big history does not redo
//! work for the postmortems that did not change (rendered bodies, incident and list pages).
//!
//! Each entry is one file named by a 128-bit key: a hash of everything the entry depends on,
//! salted with this exact build of aftermath (its version, and the size and time of its
//! executable, so a rebuilt binary never reads what an older one wrote). A file holds its own
//! key, length and checksum; one that is truncated, corrupted or written by something else
//! fails those checks, is ignored, and is rewritten after its content is made again. Files are
//! written to a temporary name and renamed into place, so builds sharing a cache never read
//! half a file; two builds writing one key write the same bytes.
//!
//! A store can only make a build faster, never different: every failure to read or write it
//! falls back to doing the work. Entries unused for a week are removed after a build (the
//! folder is looked through at most once a day), and an entry in use has its modification
//! time refreshed once a day: cache upkeep is the one place
//! below `main` that reads the clock, and it never reaches the output.

use std::fs;
use std::hash::{BuildHasher, Hash, Hasher};

use foldhash::quality::FixedState;
use std::io::{Read as _, Write as _};
use std::path::PathBuf;
use std::time::{Duration, SystemTime};

const MAGIC: &[u8; 16] = b"AFTERMATH-STORE2";
/// Seeds of the two halves of a key and of the checksum. The hasher is foldhash's, fixed
/// seeded: keys must be the same from one run to the next, and a rebuild hashes every source
/// file and every entry it reads (SipHash, the standard library's, was 6 % of a CI rebuild).
const LANE_SEEDS: [u64; 2] = [0x6166_7465_726d_6174, 0x6b65_792d_6c61_6e65];
const CHECKSUM_SEED: u64 = 0x6368_6563_6b73_756d;
const KEEP_UNUSED: Duration = Duration::from_secs(7 * 86_400);
const REFRESH_AFTER: Duration = Duration::from_secs(86_400);

/// 128 bits naming one entry.
pub type Key = [u8; 16];

/// One folder of entries.
#[derive(Debug)]
pub struct Store {
    dir: PathBuf,
    salt: u64,
}

impl Store {
    /// The store in `dir`, for entries that also depend on `salt` (a setting that changes all
    /// of them, such as the raw-HTML policy).
    pub fn new(dir: PathBuf, salt: impl Hash) -> Store {
        let mut hasher = std::hash::DefaultHasher::new();
        (env!("CARGO_PKG_VERSION"), executable_identity(), salt).hash(&mut hasher);
        Store {
            dir,
            salt: hasher.finish(),
        }
    }

    /// The key of everything an entry depends on: two 64-bit hashes with different seeds.
    pub fn key(&self, inputs: &impl Hash) -> Key {
        let half = |seed: u64| {
            FixedState::with_seed(seed)
                .hash_one((self.salt, inputs))
                .to_le_bytes()
        };
        let mut key = [0; 16];
        key[..8].copy_from_slice(&half(LANE_SEEDS[0]));
        key[8..].copy_from_slice(&half(LANE_SEEDS[1]));
        key
    }

    fn path(&self, key: &Key) -> PathBuf {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        let mut hex = String::with_capacity(2 * key.len());
        for byte in key {
            hex.push(char::from(DIGITS[usize::from(byte >> 4)]));
            hex.push(char::from(DIGITS[usize::from(byte & 15)]));
        }
        self.dir.join(&hex[..2]).join(&hex[2..])
    }

    /// The payload stored under `key`, if a whole and valid file holds it.
    pub fn get(&self, key: &Key) -> Option<Vec<u8>> {
        let path = self.path(key);
        let mut file = fs::File::open(&path).ok()?;
        let metadata = file.metadata().ok()?;
        let mut bytes = Vec::with_capacity(usize::try_from(metadata.len()).ok()?);
        file.read_to_end(&mut bytes).ok()?;
        let payload = unwrap(bytes, key)?;
        let stale = metadata
            .modified()
            .ok()
            .and_then(|modified| modified.elapsed().ok())
            .is_some_and(|age| age > REFRESH_AFTER);
        if stale && let Ok(file) = fs::File::options().write(true).open(&path) {
            let _ = file.set_modified(SystemTime::now());
        }
        Some(payload)
    }

    /// Stores `payload` under `key`; a failure only means the next build does the work again.
    pub fn put(&self, key: &Key, payload: &[u8]) {
        let path = self.path(key);
        let Some(folder) = path.parent() else { return };
        let written = fs::create_dir_all(folder)
            .and_then(|()| tempfile::NamedTempFile::new_in(folder))
            .and_then(|mut file| {
                file.write_all(&wrap(key, payload))?;
                file.persist(&path).map_err(|err| err.error)?;
                Ok(())
            });
        drop(written);
    }

    /// Removes the entries no build has used for a week. Looking at every entry's time is a few
    /// percent of a rebuild, so it is done at most once a day (`.pruned` holds when).
    pub fn prune(&self) {
        let marker = self.dir.join(".pruned");
        let recent = fs::metadata(&marker)
            .and_then(|m| m.modified())
            .ok()
            .and_then(|at| at.elapsed().ok())
            .is_some_and(|age| age < REFRESH_AFTER);
        if recent {
            return;
        }
        let Ok(folders) = fs::read_dir(&self.dir) else {
            return;
        };
        let _ = fs::write(&marker, b"");
        let entries = folders.flatten().flat_map(|f| fs::read_dir(f.path()));
        for entry in entries.flatten().flatten() {
            let unused = entry
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|modified| modified.elapsed().ok())
                .is_some_and(|age| age > KEEP_UNUSED);
            if unused {
                let _ = fs::remove_file(entry.path());
            }
        }
    }
}

/// The size and modification time of the running executable: a new build of aftermath, even
/// with the same version number, starts from an empty store.
fn executable_identity() -> Option<(u64, SystemTime)> {
    let meta = fs::metadata(std::env::current_exe().ok()?).ok()?;
    Some((meta.len(), meta.modified().ok()?))
}

fn checksum(payload: &[u8]) -> u64 {
    FixedState::with_seed(CHECKSUM_SEED).hash_one(payload)
}

/// A file's bytes: the magic, the key, the payload's length and checksum, the payload.
fn wrap(key: &Key, payload: &[u8]) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(payload.len() + 48);
    bytes.extend_from_slice(MAGIC);
    bytes.extend_from_slice(key);
    bytes.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    bytes.extend_from_slice(&checksum(payload).to_le_bytes());
    bytes.extend_from_slice(payload);
    bytes
}

/// The payload of a file written by [`wrap`] for `key`; `None` for anything else.
fn unwrap(mut bytes: Vec<u8>, key: &Key) -> Option<Vec<u8>> {
    let header = MAGIC.len() + key.len() + 16;
    let head = bytes.get(..header)?;
    let (magic, rest) = head.split_at(MAGIC.len());
    let (stored_key, rest) = rest.split_at(key.len());
    let (length, check) = rest.split_at(8);
    let length = u64::from_le_bytes(length.try_into().ok()?);
    let check = u64::from_le_bytes(check.try_into().ok()?);
    if magic != MAGIC || stored_key != key || (bytes.len() - header) as u64 != length {
        return None;
    }
    let payload = bytes.split_off(header);
    (checksum(&payload) == check).then_some(payload)
}

/// A payload cut into fields, for entries that hold more than one value.
pub struct Reader<'a>(pub &'a [u8]);

impl<'a> Reader<'a> {
    pub fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let (head, rest) = self.0.split_at_checked(n)?;
        self.0 = rest;
        Some(head)
    }

    pub fn number(&mut self) -> Option<usize> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?) as usize)
    }

    pub fn text(&mut self) -> Option<String> {
        let length = self.number()?;
        String::from_utf8(self.take(length)?.to_vec()).ok()
    }
}

/// Appends a length-prefixed text, for [`Reader::text`].
pub fn push_text(payload: &mut Vec<u8>, text: &str) {
    payload.extend_from_slice(&(text.len() as u32).to_le_bytes());
    payload.extend_from_slice(text.as_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_entry_comes_back_whole_under_its_own_key_only() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path().join("s"), "policy");
        let key = store.key(&"inputs");
        assert_eq!(store.get(&key), None, "an empty store has nothing");
        store.put(&key, "Ünïcode — fine".as_bytes());
        assert_eq!(
            store.get(&key).as_deref(),
            Some("Ünïcode — fine".as_bytes())
        );
        assert_eq!(store.get(&store.key(&"other inputs")), None);
        let other_salt = Store::new(dir.path().join("s"), "another policy");
        assert_ne!(other_salt.key(&"inputs"), key);
    }

    #[test]
    fn truncated_corrupted_and_foreign_files_are_ignored_then_rewritten() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path().to_path_buf(), "policy");
        let key = store.key(&"inputs");
        store.put(&key, b"<p>rendered</p>");
        let path = store.path(&key);
        let whole = fs::read(&path).unwrap();

        fs::write(&path, &whole[..whole.len() - 3]).unwrap();
        assert_eq!(store.get(&key), None, "truncated");
        let mut flipped = whole.clone();
        *flipped.last_mut().unwrap() ^= 0x20;
        fs::write(&path, &flipped).unwrap();
        assert_eq!(store.get(&key), None, "a flipped bit");
        fs::write(&path, wrap(&store.key(&"another"), b"<p>rendered</p>")).unwrap();
        assert_eq!(store.get(&key), None, "another entry's file");
        fs::write(&path, b"short").unwrap();
        assert_eq!(store.get(&key), None, "garbage");

        store.put(&key, b"<p>rendered</p>");
        assert_eq!(fs::read(&path).unwrap(), whole, "rewritten whole");
    }

    #[test]
    fn entries_unused_for_a_week_are_pruned_and_used_ones_kept() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path().to_path_buf(), "policy");
        let (old, used, new) = (store.key(&"old"), store.key(&"used"), store.key(&"new"));
        for key in [&old, &used, &new] {
            store.put(key, b"x");
        }
        let weeks_ago = SystemTime::now() - Duration::from_secs(14 * 86_400);
        for key in [&old, &used] {
            let file = fs::File::options()
                .write(true)
                .open(store.path(key))
                .unwrap();
            file.set_modified(weeks_ago).unwrap();
        }
        assert!(store.get(&used).is_some(), "reading refreshes its time");
        store.prune();
        assert!(!store.path(&old).exists());
        assert!(store.path(&used).exists());
        assert!(store.path(&new).exists());

        // Once a day at most: a second build the same day does not look.
        let file = fs::File::options()
            .write(true)
            .open(store.path(&new))
            .unwrap();
        file.set_modified(weeks_ago).unwrap();
        store.prune();
        assert!(store.path(&new).exists(), "pruned again the same day");
        let marker = fs::File::options()
            .write(true)
            .open(dir.path().join(".pruned"))
            .unwrap();
        marker
            .set_modified(SystemTime::now() - Duration::from_secs(2 * 86_400))
            .unwrap();
        store.prune();
        assert!(!store.path(&new).exists(), "pruned the next day");
    }
}
