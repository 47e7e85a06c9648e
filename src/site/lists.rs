//! The site's entries grouped the ways its pages list them: by year, by service, by severity and
//! by tag. Each list holds positions in `Site::incidents`, so it keeps that order (newest first).

use chrono::Datelike;
use chrono_tz::Tz;

use crate::content::Incident;
use crate::text::slug::slugify;

/// The entries of one tag, under the URL its name gives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    /// As first written (in the newest entry that has it).
    pub name: String,
    pub slug: String,
    pub incidents: Vec<usize>,
}

/// Every grouping the listing pages need.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Lists {
    /// Newest year first.
    pub by_year: Vec<(i32, Vec<usize>)>,
    /// In the order of `names`: the entries that list each service.
    pub by_service: Vec<Vec<usize>>,
    /// In the order of the configured severities.
    pub by_severity: Vec<Vec<usize>>,
    /// By slug; tags whose names give the same slug share one list, tags that give an empty slug
    /// have none.
    pub tags: Vec<Tag>,
}

impl Lists {
    pub fn new(
        incidents: &[Incident],
        zone: Tz,
        services: &[String],
        severities: &[String],
    ) -> Lists {
        let mut by_year: Vec<(i32, Vec<usize>)> = Vec::new();
        let mut by_service = vec![Vec::new(); services.len()];
        let mut by_severity = vec![Vec::new(); severities.len()];
        let service_position: std::collections::HashMap<&str, usize> = services
            .iter()
            .enumerate()
            .map(|(i, s)| (s.as_str(), i))
            .collect();
        let mut tags: std::collections::BTreeMap<String, Tag> = std::collections::BTreeMap::new();
        for (index, incident) in incidents.iter().enumerate() {
            let year = incident.start.with_timezone(&zone).year();
            match by_year.iter_mut().find(|(y, _)| *y == year) {
                Some((_, list)) => list.push(index),
                None => by_year.push((year, vec![index])),
            }
            for name in &incident.services {
                if let Some(&position) = service_position.get(name.as_str())
                    && by_service[position].last() != Some(&index)
                {
                    by_service[position].push(index);
                }
            }
            if let Some(rank) = incident
                .severity
                .as_deref()
                .and_then(|s| severities.iter().position(|c| c == s))
            {
                by_severity[rank].push(index);
            }
            for name in &incident.tags {
                let slug = slugify(name);
                if slug.is_empty() {
                    continue;
                }
                let tag = tags.entry(slug.clone()).or_insert_with(|| Tag {
                    name: name.clone(),
                    slug,
                    incidents: Vec::new(),
                });
                if tag.incidents.last() != Some(&index) {
                    tag.incidents.push(index);
                }
            }
        }
        by_year.sort_by_key(|(year, _)| std::cmp::Reverse(*year));
        Lists {
            by_year,
            by_service,
            by_severity,
            tags: tags.into_values().collect(),
        }
    }
}
