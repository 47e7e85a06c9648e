//! Filters the theme's templates can use besides Tera's own.

use tera::{Kwargs, State, TeraResult};

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
pub fn register(tera: &mut tera::Tera) {
    tera.register_filter("plural", plural);
}

#[cfg(test)]
mod tests {
    fn render(template: &str) -> String {
        let mut tera = tera::Tera::new();
        super::register(&mut tera);
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
}
