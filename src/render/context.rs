//! What every page context starts from: its section name, and the years that have incidents.
//!
//! Shared by the listing pages (`pages.rs`) and the calendar (`days.rs`), which otherwise do not
//! depend on each other: the render modules form no cycle.

use chrono::Datelike;
use tera::Context;

use crate::site::Site;

/// A context for a page of `name` (the navigation marks it as current).
pub fn section(name: &str) -> Context {
    let mut context = Context::new();
    context.insert("section", name);
    context
}

/// The years that have incidents, newest first, in the site's time zone.
pub fn years(site: &Site) -> Vec<i32> {
    let mut years: Vec<i32> = site
        .incidents
        .iter()
        .map(|i| i.start.with_timezone(&site.config.timezone).year())
        .collect();
    years.sort_unstable_by(|a, b| b.cmp(a));
    years.dedup();
    years
}
