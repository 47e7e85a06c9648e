//! Aftermath turns a folder of postmortems into a static status-history site.
//!
//! The pipeline, one module per stage, each reading only what the previous one froze:
//!
//! 1. [`config`]: read `aftermath.toml` (strict; every key has a default).
//! 2. [`content`]: find `content/**/*.md`, split and validate the front matter in parallel,
//!    collecting every problem as a [`diagnostics::Diagnostic`].
//! 3. [`stats`]: compute time to resolve/detect, availability and the calendar, once.
//! 4. [`markdown`] and [`render`]: turn bodies into sanitised HTML and plan and render pages.
//! 5. [`output`]: write into a staging folder and swap it in only when everything succeeded.
//!
//! Nothing below `main` reads the clock: "now" is [`BuildOptions::as_of`].

pub mod config;
pub mod content;
pub mod diagnostics;
pub mod markdown;
pub mod output;
pub mod stats;
pub mod suggest;
