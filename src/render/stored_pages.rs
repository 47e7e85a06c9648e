//! Pages kept between builds (`cache_dir/pages/`): a page that would show exactly what it showed
//! in an earlier build is taken from the store instead of being rendered again. In CI, where the
//! output folder starts empty every run, this is what spares the thousands of incident and list
//! pages a new postmortem does not touch. Which page types are kept is the plan's choice
//! ([`Kept`]): incident pages, the pages of the year, severity and tag lists, a service's pages
//! after its first, and the action item lists (by the day).
//!
//! A page's key is everything it shows: its entries (an incident and its two neighbours, or a
//! whole list: their files' hashes, ids and sources), what its page type adds (budget flags, the
//! year's calendar), the site-wide template variables, the configuration, the theme and its
//! messages. The as-of time enters only where the page can show it: while the incident, or one
//! of the rows on the list page, is upcoming or ongoing or has an impact window still open
//! (the other pages of that list do not show it); and on every page when the site has
//! templates of its own (they may print `site.as_of` anywhere). So a CI run with a new as-of
//! time reuses every page of resolved incidents.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Mutex;

use chrono::{DateTime, Utc};

use super::page_type::{Kept, PageType};
use super::pages::Globals;
use super::paging::page_slice;
use super::plan_inputs::{hash_of, incident_inputs};
use super::theme::Theme;
use crate::content::Incident;
use crate::site::Site;
use crate::stats::calendar::local_date;
use crate::store::{Key, Store};

/// The store and the parts of the key every page of a build shares.
pub struct StoredPages<'a> {
    store: &'a Store,
    shared: u64,
    /// The site has templates of its own: every page depends on the as-of time.
    as_of_everywhere: bool,
    /// Each list's entries hashed, by the list's address and length: computed once per list,
    /// not once per page of it.
    lists: Mutex<HashMap<(usize, usize), u64>>,
}

impl<'a> StoredPages<'a> {
    pub fn new(store: &'a Store, site: &Site, theme: &Theme, globals: &Globals) -> Self {
        // The template variables without `site.as_of`, which is added per page below.
        let mut globals = serde_json::to_value(globals).unwrap_or_default();
        if let Some(site) = globals.get_mut("site").and_then(|s| s.as_object_mut()) {
            site.remove("as_of");
        }
        let shared = hash_of(&(
            globals.to_string(),
            format!("{:?}", site.config),
            theme.fingerprint,
            site.config.locale.fingerprint(),
        ));
        StoredPages {
            store,
            shared,
            as_of_everywhere: theme.custom_templates,
            lists: Mutex::new(HashMap::new()),
        }
    }

    /// The key of the `n`-th page of type `page_type`, if that type is kept.
    pub fn key(&self, site: &Site, page_type: &PageType, n: usize, path: &str) -> Option<Key> {
        let (inputs, entries, shows) = match page_type.kept {
            Kept::Never => return None,
            Kept::Incident => {
                let incident = site.incidents.get(n)?;
                let identity = |i: Option<usize>| {
                    i.and_then(|i| site.incidents.get(i))
                        .map(|i| (&i.id, &i.source))
                };
                let neighbours = [
                    identity(n.checked_sub(1)),
                    identity(Some(n)),
                    identity(Some(n + 1)),
                ];
                let shows = shows_as_of(incident, site.as_of);
                (Some(incident_inputs(site, n)), hash_of(&neighbours), shows)
            }
            Kept::List { entries, besides } => {
                let (list, page) = entries(site, n)?;
                let shows = page_slice(list, page)
                    .iter()
                    .any(|&i| shows_as_of(&site.incidents[i], site.as_of));
                (
                    besides.map(|besides| besides(site, n)),
                    self.list(site, list),
                    shows,
                )
            }
            Kept::ByDay => {
                let today = local_date(site.as_of, site.config.timezone);
                let inputs = (page_type.inputs?)(site, n);
                (Some(inputs), hash_of(&today), false)
            }
        };
        let as_of = (self.as_of_everywhere || shows).then_some(site.as_of);
        Some(self.store.key(&(self.shared, path, inputs, entries, as_of)))
    }

    /// The entries of `list` hashed (files, ids, sources).
    fn list(&self, site: &Site, list: &[usize]) -> u64 {
        let at = (list.as_ptr() as usize, list.len());
        if let Some(known) = self.lists.lock().ok().and_then(|l| l.get(&at).copied()) {
            return known;
        }
        let entries: Vec<(u64, &str, &Path)> = list
            .iter()
            .map(|&i| &site.incidents[i])
            .map(|i| (i.fingerprint, i.id.as_str(), i.source.as_path()))
            .collect();
        let known = hash_of(&entries);
        if let Ok(mut lists) = self.lists.lock() {
            lists.insert(at, known);
        }
        known
    }

    pub fn get(&self, key: &Key) -> Option<Vec<u8>> {
        self.store.get(key)
    }

    pub fn put(&self, key: &Key, page: &[u8]) {
        self.store.put(key, page);
    }
}

/// Whether the incident's page reads the as-of time: its status (upcoming, ongoing), its
/// duration so far and its open impact windows do; a resolved incident's page does not. (Impact
/// windows lie inside the incident, so the last test only guards against that changing.)
fn shows_as_of(incident: &Incident, as_of: DateTime<Utc>) -> bool {
    incident.start > as_of
        || incident.end.is_none_or(|end| end > as_of)
        || incident
            .impact_windows
            .iter()
            .any(|window| window.to.is_some_and(|to| to > as_of))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loaded(front_matter: &str) -> Incident {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("content")).unwrap();
        let text = format!("+++\ntitle = \"A\"\nservices = [\"api\"]\n{front_matter}+++\n");
        std::fs::write(dir.path().join("content/a.md"), text).unwrap();
        let config = crate::config::Config::default();
        let mut content =
            crate::content::load(dir.path(), &config, false, crate::content::Reuse::Nothing);
        let diagnostics = content.diagnostics.to_string();
        content
            .incidents
            .pop()
            .unwrap_or_else(|| panic!("{diagnostics}"))
    }

    #[test]
    fn only_a_settled_incident_leaves_the_as_of_time_out() {
        let at = |text: &str| text.parse::<DateTime<Utc>>().unwrap();
        let mut incident = loaded("start = 2025-03-01T10:00:00Z\nend = 2025-03-01T11:00:00Z\n");
        assert!(
            !shows_as_of(&incident, at("2025-04-01T00:00:00Z")),
            "resolved"
        );
        assert!(
            shows_as_of(&incident, at("2025-03-01T10:30:00Z")),
            "ongoing as of T"
        );
        assert!(
            shows_as_of(&incident, at("2025-02-01T00:00:00Z")),
            "upcoming as of T"
        );
        incident.end = None;
        assert!(shows_as_of(&incident, at("2025-04-01T00:00:00Z")), "no end");

        // Impact windows lie inside the incident, so a resolved incident's windows are closed.
        let windows = "start = 2025-03-01T10:00:00Z\nend = 2025-03-01T11:00:00Z\n[[impact]]\nimpact = 50\nto = 2025-03-01T10:30:00Z\n";
        let windowed = loaded(windows);
        assert!(shows_as_of(&windowed, at("2025-03-01T10:45:00Z")));
        assert!(
            !shows_as_of(&windowed, at("2025-03-01T11:00:00Z")),
            "resolved at T"
        );
    }
}
