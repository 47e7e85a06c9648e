//! What every page context starts from: its section name.
//!
//! Shared by the listing pages (`pages.rs`) and the calendar (`days.rs`), which otherwise do not
//! depend on each other: the render modules form no cycle.

use tera::Context;

/// A context for a page of `name` (the navigation marks it as current).
pub fn section(name: &str) -> Context {
    let mut context = Context::new();
    context.insert("section", name);
    context
}
