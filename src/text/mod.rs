//! Text helpers below every stage: slugs, times and durations, date labels, number labels, and
//! HTML escaping.
//!
//! Parsing a time or writing `2 h 15 min` is needed by the configuration (durations), the
//! content (instants, slugs), the statistics report and the pages alike, so it lives here, at the
//! bottom of the module graph, and depends on nothing of the crate but itself. See the layers in
//! `lib.rs`.

pub mod dates;
pub mod html;
pub mod labels;
pub mod slug;
pub mod time;
