//! Filters the theme's templates can use besides Tera's own: `t`, which writes a message of the
//! site's language, and `plural`, kept for themes written before `t`.

use std::borrow::Cow;

use tera::{Kwargs, State, TeraResult, Value};

use crate::i18n::Locale;

/// `{{ "nav.status" | t }}` writes the message `nav.status` in the site's language;
/// `{{ "list.incidents" | t(count=n) }}` picks the plural form for `n`, and other arguments
/// fill the message's `{placeholders}`. A message whose key ends in `_html` may hold markup:
/// its arguments are escaped and the result is not escaped again. An unknown key is an error,
/// so a misspelt key fails the build instead of showing the key to readers.
pub struct Translate(pub Locale);

impl tera::Filter<&str, TeraResult<Value>> for Translate {
    fn call(&self, key: &str, kwargs: Kwargs, _: &State) -> TeraResult<Value> {
        let locale = &self.0;
        let Some(message) = locale.message(key) else {
            return Err(tera::Error::message(format!(
                "no message \"{key}\" in the catalogs of \"{}\" (docs/themes.md#languages)",
                locale.tag()
            )));
        };
        let html = key.ends_with("_html");
        let mut count = None;
        // Names and values are borrowed where they are strings already (most are): this filter
        // runs for nearly every row of every list.
        let mut args: Vec<(Cow<'_, str>, Cow<'_, str>)> = Vec::new();
        for (name, value) in kwargs.iter() {
            let name = name
                .as_str()
                .map_or_else(|| Cow::Owned(name.to_string()), Cow::Borrowed);
            let text = match value.as_i64() {
                Some(n) if name == "count" => {
                    count = Some(n);
                    continue;
                }
                // Years, page numbers and other numbers that are not counts stay as they are.
                Some(n) => Cow::Owned(n.to_string()),
                None => value
                    .as_str()
                    .map_or_else(|| Cow::Owned(value.to_string()), Cow::Borrowed),
            };
            let text = match html {
                true => Cow::Owned(html_escape::encode_double_quoted_attribute(&text).into_owned()),
                false => text,
            };
            args.push((name, text));
        }
        let args: Vec<(&str, &str)> = args.iter().map(|(n, v)| (n.as_ref(), v.as_ref())).collect();
        let text = locale.write(message, count, &args);
        Ok(match html {
            true => Value::safe_string(&text),
            false => Value::from(text),
        })
    }
}

/// `{{ n | plural(one="incident") }}` gives `1 incident`, `3 incidents`; `many` names an
/// irregular plural: `{{ n | plural(one="entry", many="entries") }}`.
pub fn plural(count: i64, kwargs: Kwargs, _: &State) -> TeraResult<String> {
    let one: &str = kwargs.must_get("one")?;
    let many: Option<&str> = kwargs.get("many")?;
    Ok(match (count, many) {
        (1, _) => format!("1 {one}"),
        (n, Some(many)) => format!("{n} {many}"),
        (n, None) => format!("{n} {one}s"),
    })
}

/// Registers every filter of this module on `tera` (before its templates are added).
pub fn register(tera: &mut tera::Tera, locale: &Locale) {
    tera.register_filter("plural", plural);
    tera.register_filter("t", Translate(locale.clone()));
}

#[cfg(test)]
mod tests {
    use crate::i18n::Locale;

    fn render(template: &str) -> String {
        let mut tera = tera::Tera::new();
        super::register(&mut tera, &Locale::english());
        tera.add_raw_template("t", template).unwrap();
        tera.render("t", &tera::Context::new()).unwrap()
    }

    #[test]
    fn plural_says_the_count_and_the_right_form() {
        assert_eq!(render(r#"{{ 1 | plural(one="incident") }}"#), "1 incident");
        assert_eq!(render(r#"{{ 0 | plural(one="incident") }}"#), "0 incidents");
        assert_eq!(
            render(r#"{{ 12 | plural(one="incident") }}"#),
            "12 incidents"
        );
        assert_eq!(
            render(r#"{{ 2 | plural(one="maintenance entry", many="maintenance entries") }}"#),
            "2 maintenance entries"
        );
        assert_eq!(
            render(r#"{{ 1 | plural(one="maintenance entry", many="maintenance entries") }}"#),
            "1 maintenance entry"
        );
    }

    #[test]
    fn t_writes_messages_in_the_sites_language_and_escapes_arguments() {
        assert_eq!(render(r#"{{ "nav.status" | t }}"#), "Status");
        assert_eq!(
            render(r#"{{ "list.incidents" | t(count=3) }}"#),
            "3 incidents"
        );
        let mut tera = tera::Tera::new();
        tera.autoescape_on([".html"]);
        super::register(&mut tera, &Locale::english());
        tera.add_raw_template("t.html", r#"{{ "base.built_with" | t(generator="<b>") }}"#)
            .unwrap();
        let escaped = tera.render("t.html", &tera::Context::new()).unwrap();
        assert_eq!(escaped, "Built with &lt;b&gt;.");
        assert_eq!(
            render(r#"{{ "actions.from_html" | t(url="x/", title="<i>") }}"#),
            "from <a href=\"x/\">&lt;i&gt;</a>"
        );
        let mut tera = tera::Tera::new();
        super::register(&mut tera, &Locale::load("de", None).unwrap());
        tera.add_raw_template(
            "t",
            r#"{{ "list.incidents" | t(count=1) }} / {{ "nope" | t }}"#,
        )
        .unwrap();
        let err = tera.render("t", &tera::Context::new()).unwrap_err();
        let shown = format!("{err:?}");
        assert!(
            shown.contains(r#"no message \"nope\" in the catalogs of \"de\""#),
            "{shown}"
        );
    }
}
