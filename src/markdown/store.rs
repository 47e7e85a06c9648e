//! Rendered bodies kept between builds (`cache_dir/bodies/`): Markdown, sanitising and syntax
//! highlighting are most of a build, and most bodies do not change from one build to the next.
//!
//! An entry's key is the Markdown text, salted with the raw-HTML policy; the store adds this
//! build of aftermath. Its payload is the headings (for the table of contents) and the HTML.

use std::path::Path;

use super::{Heading, RenderedMarkdown};
use crate::store::{Key, Reader, Store, push_text};

/// Rendered bodies under the site's cache folder.
#[derive(Debug)]
pub struct BodyStore(Store);

impl BodyStore {
    /// The store in `cache_dir` for bodies rendered with `policy` (the raw-HTML setting).
    pub fn new(cache_dir: &Path, policy: impl std::hash::Hash) -> BodyStore {
        BodyStore(Store::new(cache_dir.join("bodies"), policy))
    }

    pub fn key(&self, markdown: &str) -> Key {
        self.0.key(&markdown)
    }

    /// The body stored under `key`, if a whole and valid entry holds it.
    pub fn get(&self, key: &Key) -> Option<RenderedMarkdown> {
        decode(&self.0.get(key)?)
    }

    pub fn put(&self, key: &Key, rendered: &RenderedMarkdown) {
        self.0.put(key, &encode(rendered));
    }

    /// Removes the entries no build has used for a week.
    pub fn prune(&self) {
        self.0.prune();
    }
}

fn encode(rendered: &RenderedMarkdown) -> Vec<u8> {
    let mut payload = Vec::with_capacity(rendered.html.len() + 64);
    payload.extend_from_slice(&(rendered.headings.len() as u32).to_le_bytes());
    for heading in &rendered.headings {
        payload.push(heading.level);
        push_text(&mut payload, &heading.id);
        push_text(&mut payload, &heading.text);
    }
    payload.extend_from_slice(rendered.html.as_bytes());
    payload
}

fn decode(payload: &[u8]) -> Option<RenderedMarkdown> {
    let mut reader = Reader(payload);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_body_comes_back_with_its_headings_and_the_policy_keys_it() {
        let dir = tempfile::tempdir().unwrap();
        let rendered = RenderedMarkdown {
            html: "<h2 id=\"cause\">Cause</h2>\n<p>Ünïcode — fine</p>\n".into(),
            headings: vec![Heading {
                level: 2,
                id: "cause".into(),
                text: "Cause".into(),
            }],
        };
        let store = BodyStore::new(dir.path(), "Sanitize");
        let key = store.key("## Cause\n\nÜnïcode — fine\n");
        store.put(&key, &rendered);
        assert_eq!(store.get(&key), Some(rendered));
        let escaping = BodyStore::new(dir.path(), "Escape");
        assert_eq!(
            escaping.get(&escaping.key("## Cause\n\nÜnïcode — fine\n")),
            None
        );
        assert!(dir.path().join("bodies").is_dir());
    }
}
