//! Rendered bodies kept between builds, so a rebuild of a big history does not run Markdown,
//! sanitising and syntax highlighting again for the postmortems that did not change.
//!
//! Each body is one file under `<cache_dir>/bodies/`, named by a 128-bit hash of everything
//! its HTML depends on: the Markdown text, the raw-HTML policy and this exact build of
//! aftermath (its version, and the size and time of its executable, so a rebuilt binary never
//! reads what an older one wrote). A file holds its own key, length and checksum; one that
//! is truncated, corrupted or written by something else fails those checks, is ignored, and is
//! rewritten after the body is rendered again. Files are written to a temporary name and
//! renamed into place, so builds sharing a cache never read half a file; two builds writing
//! the same body write the same bytes.
//!
//! The cache can only make a build faster, never different: every failure to read or write
//! it falls back to rendering. Entries unused for a week are removed after a build; an entry in
//! use has its modification time refreshed once a day (cache upkeep reads the clock; the
//! output never does).

use std::fs;
use std::hash::{Hash, Hasher};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use super::{Heading, RenderedMarkdown};

const MAGIC: &[u8; 15] = b"AFTERMATH-BODY\x01";
const KEEP_UNUSED: Duration = Duration::from_secs(7 * 86_400);
const REFRESH_AFTER: Duration = Duration::from_secs(86_400);

/// The folder of rendered bodies and what keys them to this build.
#[derive(Debug)]
pub struct BodyStore {
    dir: PathBuf,
    salt: u64,
}

/// 128 bits naming one rendered body.
type Key = [u8; 16];

impl BodyStore {
    /// The store in `cache_dir` for bodies rendered with `policy` (the raw-HTML setting).
    pub fn new(cache_dir: &Path, policy: impl Hash) -> BodyStore {
        let mut hasher = std::hash::DefaultHasher::new();
        (env!("CARGO_PKG_VERSION"), executable_identity(), policy).hash(&mut hasher);
        BodyStore {
            dir: cache_dir.join("bodies"),
            salt: hasher.finish(),
        }
    }

    /// The key of `markdown`: two independent 64-bit hashes.
    pub fn key(&self, markdown: &str) -> Key {
        let half = |lane: u8| {
            let mut hasher = std::hash::DefaultHasher::new();
            (lane, self.salt, markdown).hash(&mut hasher);
            hasher.finish().to_le_bytes()
        };
        let mut key = [0; 16];
        key[..8].copy_from_slice(&half(0));
        key[8..].copy_from_slice(&half(1));
        key
    }

    fn path(&self, key: &Key) -> PathBuf {
        let hex: String = key.iter().map(|b| format!("{b:02x}")).collect();
        self.dir.join(&hex[..2]).join(&hex[2..])
    }

    /// The body stored under `key`, if a whole and valid file holds it.
    pub fn get(&self, key: &Key) -> Option<RenderedMarkdown> {
        let path = self.path(key);
        let bytes = fs::read(&path).ok()?;
        let rendered = decode(&bytes, key)?;
        let stale = fs::metadata(&path)
            .and_then(|m| m.modified())
            .ok()
            .and_then(|modified| modified.elapsed().ok())
            .is_some_and(|age| age > REFRESH_AFTER);
        if stale && let Ok(file) = fs::File::options().write(true).open(&path) {
            let _ = file.set_modified(SystemTime::now());
        }
        Some(rendered)
    }

    /// Stores `rendered` under `key`; a failure only means the next build renders it again.
    pub fn put(&self, key: &Key, rendered: &RenderedMarkdown) {
        let path = self.path(key);
        let Some(folder) = path.parent() else { return };
        let written = fs::create_dir_all(folder)
            .and_then(|()| tempfile::NamedTempFile::new_in(folder))
            .and_then(|mut file| {
                file.write_all(&encode(key, rendered))?;
                file.persist(&path).map_err(|err| err.error)?;
                Ok(())
            });
        drop(written);
    }

    /// Removes the entries no build has used for a week.
    pub fn prune(&self) {
        let Ok(folders) = fs::read_dir(&self.dir) else {
            return;
        };
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
    let mut hasher = std::hash::DefaultHasher::new();
    payload.hash(&mut hasher);
    hasher.finish()
}

fn encode(key: &Key, rendered: &RenderedMarkdown) -> Vec<u8> {
    let mut payload = Vec::with_capacity(rendered.html.len() + 64);
    let text = |payload: &mut Vec<u8>, s: &str| {
        payload.extend_from_slice(&(s.len() as u32).to_le_bytes());
        payload.extend_from_slice(s.as_bytes());
    };
    payload.extend_from_slice(&(rendered.headings.len() as u32).to_le_bytes());
    for heading in &rendered.headings {
        payload.push(heading.level);
        text(&mut payload, &heading.id);
        text(&mut payload, &heading.text);
    }
    payload.extend_from_slice(rendered.html.as_bytes());
    let mut bytes = Vec::with_capacity(payload.len() + 43);
    bytes.extend_from_slice(MAGIC);
    bytes.extend_from_slice(key);
    bytes.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    bytes.extend_from_slice(&checksum(&payload).to_le_bytes());
    bytes.extend_from_slice(&payload);
    bytes
}

/// Reads a file written by [`encode`] for `key`; `None` for anything else.
fn decode(bytes: &[u8], key: &Key) -> Option<RenderedMarkdown> {
    let mut reader = Reader(bytes);
    if reader.take(MAGIC.len())? != MAGIC || reader.take(16)? != key {
        return None;
    }
    let length = u64::from_le_bytes(reader.take(8)?.try_into().ok()?);
    let check = u64::from_le_bytes(reader.take(8)?.try_into().ok()?);
    let payload = reader.0;
    if payload.len() as u64 != length || checksum(payload) != check {
        return None;
    }
    let count = reader.number()?;
    let mut headings = Vec::new();
    for _ in 0..count {
        let level = *reader.take(1)?.first()?;
        let id = reader.text()?;
        let text = reader.text()?;
        headings.push(Heading { level, id, text });
    }
    let html = String::from_utf8(reader.0.to_vec()).ok()?;
    Some(RenderedMarkdown { html, headings })
}

/// Reads a payload from the front.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let (head, rest) = self.0.split_at_checked(n)?;
        self.0 = rest;
        Some(head)
    }

    fn number(&mut self) -> Option<usize> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?) as usize)
    }

    fn text(&mut self) -> Option<String> {
        let length = self.number()?;
        String::from_utf8(self.take(length)?.to_vec()).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rendered() -> RenderedMarkdown {
        RenderedMarkdown {
            html: "<h2 id=\"cause\">Cause</h2>\n<p>Ünïcode — fine</p>\n".into(),
            headings: vec![Heading {
                level: 2,
                id: "cause".into(),
                text: "Cause".into(),
            }],
        }
    }

    #[test]
    fn a_stored_body_comes_back_whole_under_its_own_key_only() {
        let dir = tempfile::tempdir().unwrap();
        let store = BodyStore::new(dir.path(), "sanitize");
        let key = store.key("## Cause\n\nÜnïcode — fine\n");
        assert_eq!(store.get(&key), None, "an empty store has nothing");
        store.put(&key, &rendered());
        assert_eq!(store.get(&key), Some(rendered()));
        assert_eq!(store.get(&store.key("## Cause\n\nSomething else\n")), None);
        let other_policy = BodyStore::new(dir.path(), "trust");
        assert_ne!(other_policy.key("## Cause\n\nÜnïcode — fine\n"), key);
    }

    #[test]
    fn truncated_corrupted_and_foreign_files_are_ignored_then_rewritten() {
        let dir = tempfile::tempdir().unwrap();
        let store = BodyStore::new(dir.path(), "sanitize");
        let key = store.key("body");
        store.put(&key, &rendered());
        let path = store.path(&key);
        let whole = fs::read(&path).unwrap();

        fs::write(&path, &whole[..whole.len() - 3]).unwrap();
        assert_eq!(store.get(&key), None, "truncated");
        let mut flipped = whole.clone();
        *flipped.last_mut().unwrap() ^= 0x20;
        fs::write(&path, &flipped).unwrap();
        assert_eq!(store.get(&key), None, "a flipped bit");
        let foreign = encode(&store.key("another body"), &rendered());
        fs::write(&path, foreign).unwrap();
        assert_eq!(store.get(&key), None, "another entry's file");
        fs::write(&path, b"not a cache file at all").unwrap();
        assert_eq!(store.get(&key), None, "garbage");

        store.put(&key, &rendered());
        assert_eq!(fs::read(&path).unwrap(), whole, "rewritten whole");
        assert_eq!(store.get(&key), Some(rendered()));
    }

    #[test]
    fn entries_unused_for_a_week_are_pruned_and_used_ones_kept() {
        let dir = tempfile::tempdir().unwrap();
        let store = BodyStore::new(dir.path(), "sanitize");
        let (old, used, new) = (store.key("old"), store.key("used"), store.key("new"));
        for key in [&old, &used, &new] {
            store.put(key, &rendered());
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
    }
}
