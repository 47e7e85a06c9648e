//! What each page of the plan is made from besides the site-wide inputs, hashed: a cached
//! build reuses a page while its hash is unchanged (see `incremental.rs`). Also the lengths of
//! the paged lists, which say how many pages each list takes.

use chrono::Datelike;

use crate::site::Site;

/// A hash of `value`, for fingerprints.
pub fn hash_of(value: &impl std::hash::Hash) -> u64 {
    use std::hash::Hasher;
    let mut hasher = std::hash::DefaultHasher::new();
    value.hash(&mut hasher);
    hasher.finish()
}

/// An incident page shows the incident, links to its neighbours and flags the budgets it used
/// much of (which other incidents change).
pub fn incident_inputs(site: &Site, n: usize) -> u64 {
    let fingerprint =
        |i: Option<usize>| i.and_then(|i| site.incidents.get(i)).map(|i| i.fingerprint);
    let flags: Vec<(&str, i128, i128, i64)> = site
        .budget_flags
        .get(&n)
        .into_iter()
        .flatten()
        .map(|&(position, consumed)| {
            let budget = &site.budgets[position];
            (
                budget.service.as_str(),
                consumed,
                budget.budget,
                budget.from,
            )
        })
        .collect();
    hash_of(&(
        fingerprint(Some(n)),
        fingerprint(n.checked_sub(1)),
        fingerprint(Some(n + 1)),
        flags,
    ))
}

/// How many entries each year has, newest year first.
pub fn year_lengths(site: &Site) -> impl Iterator<Item = usize> + '_ {
    site.lists.by_year.iter().map(|(_, list)| list.len())
}

/// How many entries each service has, in the order of the statistics.
pub fn service_lengths(site: &Site) -> impl Iterator<Item = usize> + '_ {
    site.lists.by_service.iter().map(Vec::len)
}

/// How many entries each configured severity has, in the site's order.
pub fn severity_lengths(site: &Site) -> impl Iterator<Item = usize> + '_ {
    site.lists.by_severity.iter().map(Vec::len)
}

/// How many entries each tag has, by slug.
pub fn tag_lengths(site: &Site) -> impl Iterator<Item = usize> + '_ {
    site.lists.tags.iter().map(|t| t.incidents.len())
}

/// The fingerprints of the entries of a list.
pub fn fingerprints(site: &Site, list: &[usize]) -> Vec<u64> {
    list.iter()
        .map(|&i| site.incidents[i].fingerprint)
        .collect()
}

/// A year page shows the year's entries and calendar days, and links to the other years.
pub fn year_inputs(site: &Site, position: usize) -> u64 {
    let (year, list) = &site.lists.by_year[position];
    hash_of(&(
        "year",
        year,
        fingerprints(site, list),
        year_calendar(site, position),
    ))
}

/// What a year page shows besides its entries: the calendar days of the year (an incident of
/// the year before may reach into them) and the other years it links to.
pub fn year_calendar(site: &Site, position: usize) -> u64 {
    let year = site.lists.by_year[position].0;
    let days: Vec<(String, i64, Option<usize>, usize)> = site
        .calendar
        .iter()
        .filter(|(date, _)| date.year() == year)
        .map(|(date, day)| {
            (
                date.to_string(),
                day.downtime_seconds,
                day.worst_severity,
                day.incidents.len(),
            )
        })
        .collect();
    hash_of(&(days, &site.years))
}
