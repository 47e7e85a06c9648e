//! Rebuilds that reuse what did not change, for `serve`.
//!
//! Between two builds, files whose modification time and size are unchanged are not parsed
//! again, and an incident page is not rendered again when its fingerprint (the file, its
//! neighbours, the site-wide template variables, the configuration, the theme and the as-of
//! time) is unchanged. Everything else (about thirty pages, the statistics) is rebuilt every
//! time. The result is the same as a full build: a test builds both and compares every byte.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::content::{LoadCache, Reuse};
use crate::diagnostics::{Check, Diagnostic, Diagnostics};
use crate::render::{PageCache, Progress, Target, render_site};
use crate::{BuildError, BuildOptions, load, output};

/// The caches kept between builds.
#[derive(Default)]
pub struct Incremental {
    load: LoadCache,
    pages: PageCache,
    /// The warnings of the last successful build (it went ahead despite them).
    warnings: Diagnostics,
}

impl Incremental {
    /// Builds the whole site into memory, reusing what the previous build of this value made,
    /// and telling `progress` of each page that changed as soon as it is rendered (before the
    /// rest of the site).
    pub fn build(
        &mut self,
        options: &BuildOptions,
        progress: &dyn Progress,
    ) -> Result<BTreeMap<String, Arc<[u8]>>, Diagnostics> {
        let loaded = match load(options, Reuse::Memory(&mut self.load)) {
            Ok(loaded) => loaded,
            Err(BuildError::Invalid { diagnostics, .. }) => return Err(diagnostics),
            Err(BuildError::Output(err)) => {
                let mut problems = Diagnostics::new();
                problems.push(Diagnostic::new(
                    Check::OutputError,
                    "(output)",
                    err.to_string(),
                ));
                return Err(problems);
            }
        };
        self.warnings = loaded.warnings;
        let memory = output::Memory::default();
        let target = Target::new(&memory)
            .progress(progress)
            .cache(&mut self.pages);
        render_site(&loaded.site, loaded.theme, target).map_err(|err| match err {
            crate::render::RenderError::Invalid(problems) => problems,
            crate::render::RenderError::Output(err) => {
                let mut problems = Diagnostics::new();
                problems.push(Diagnostic::new(
                    Check::OutputError,
                    "(output)",
                    err.to_string(),
                ));
                problems
            }
        })?;
        Ok(memory.into_files())
    }

    /// The warnings of the last successful build, to print as `build` and `check` do.
    pub fn warnings(&self) -> &Diagnostics {
        &self.warnings
    }

    /// How many files the last build parsed, and how many incident pages it reused.
    pub fn last_work(&self) -> (usize, usize) {
        (self.load.parsed, self.pages.reused)
    }
}
