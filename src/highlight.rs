//! Syntax highlighting of code blocks, as `<span class="hl-...">` for the theme's CSS.
//!
//! syntect parses the code; instead of its class generator (which turns every scope into class
//! strings through a global, locked scope repository, slow and contended on many threads), each
//! token gets at most one class from a short list of categories, matched by scope prefix. The
//! theme styles exactly these classes, in light and dark mode. Syntax definitions are loaded on
//! the first code block only, never at start-up.

use std::sync::OnceLock;

use syntect::parsing::{ParseState, Scope, ScopeStack, SyntaxSet};
use syntect::util::LinesWithEndings;

use crate::text::html::escape_into;

/// The categories the theme styles, most specific first.
const CATEGORIES: [(&str, &str); 9] = [
    ("comment", "hl-comment"),
    ("string", "hl-string"),
    ("constant", "hl-constant"),
    ("entity.name", "hl-entity-name"),
    ("support.function", "hl-support-function"),
    ("variable.parameter", "hl-variable-parameter"),
    ("keyword", "hl-keyword"),
    ("storage", "hl-storage"),
    ("support.type", "hl-storage"),
];

/// Highlights code; cheap to share between threads.
pub struct Highlighter {
    syntaxes: OnceLock<SyntaxSet>,
    categories: OnceLock<Vec<(Scope, &'static str)>>,
}

impl Default for Highlighter {
    fn default() -> Self {
        Highlighter::new()
    }
}

impl Highlighter {
    pub fn new() -> Self {
        Highlighter {
            syntaxes: OnceLock::new(),
            categories: OnceLock::new(),
        }
    }

    /// The highlighted HTML of `code` (escaped), or `None` for an unknown language.
    pub fn highlight(&self, language: &str, code: &str) -> Option<String> {
        let syntaxes = self.syntaxes.get_or_init(SyntaxSet::load_defaults_newlines);
        let syntax = syntaxes.find_syntax_by_token(language)?;
        let categories = self.categories.get_or_init(|| {
            CATEGORIES
                .iter()
                .filter_map(|(scope, class)| Scope::new(scope).ok().map(|s| (s, *class)))
                .collect()
        });
        let class_of = |stack: &ScopeStack| {
            stack.as_slice().iter().rev().find_map(|scope| {
                categories
                    .iter()
                    .find(|(prefix, _)| prefix.is_prefix_of(*scope))
                    .map(|(_, class)| *class)
            })
        };
        let mut state = ParseState::new(syntax);
        let mut stack = ScopeStack::new();
        let mut html = String::with_capacity(code.len() * 2);
        let mut open: Option<&str> = None;
        for line in LinesWithEndings::from(code) {
            let ops = state.parse_line(line, syntaxes).ok()?;
            let mut position = 0;
            let mut emit = |text: &str, class: Option<&'static str>, html: &mut String| {
                if text.is_empty() {
                    return;
                }
                if class != open {
                    if open.is_some() {
                        html.push_str("</span>");
                    }
                    if let Some(class) = class {
                        html.push_str("<span class=\"");
                        html.push_str(class);
                        html.push_str("\">");
                    }
                    open = class;
                }
                escape_into(html, text);
            };
            for (index, op) in ops {
                emit(&line[position..index], class_of(&stack), &mut html);
                position = index;
                stack.apply(&op).ok()?;
            }
            emit(&line[position..], class_of(&stack), &mut html);
        }
        if open.is_some() {
            html.push_str("</span>");
        }
        Some(html)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_get_one_class_each_and_text_is_escaped() {
        let html = Highlighter::new()
            .highlight("rust", "// note <b>\nfn main() { let s = \"x\"; }\n")
            .unwrap();
        assert!(
            html.contains("<span class=\"hl-comment\">// note &lt;b&gt;\n</span>"),
            "{html}"
        );
        assert!(
            html.contains("<span class=\"hl-storage\">fn</span>"),
            "{html}"
        );
        assert!(
            html.contains("<span class=\"hl-entity-name\">main</span>"),
            "{html}"
        );
        assert!(
            html.contains("<span class=\"hl-string\">\"x\"</span>"),
            "{html}"
        );
        assert_eq!(
            html.matches("<span").count(),
            html.matches("</span>").count()
        );
        assert!(
            Highlighter::new()
                .highlight("no-such-language", "x")
                .is_none()
        );
    }
}
