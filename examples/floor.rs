//! The floor for `bench/run.py`: read every Markdown file of a site's `content/`, render each
//! with pulldown-cmark on rayon, and write one HTML file each. No front matter, no statistics,
//! no templates: the least any generator has to do for the same input.
//!
//! Usage: cargo run --release --example floor -- SITE OUT

#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::path::PathBuf;

use rayon::prelude::*;

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let (Some(site), Some(out)) = (args.next(), args.next()) else {
        eprintln!("usage: floor SITE OUT");
        std::process::exit(2);
    };
    let out = PathBuf::from(out);
    std::fs::create_dir_all(&out)?;
    let files: Vec<PathBuf> = walkdir::WalkDir::new(PathBuf::from(site).join("content"))
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| e.into_path())
        .collect();
    files.par_iter().enumerate().try_for_each(|(n, path)| {
        let text = std::fs::read_to_string(path)?;
        let mut html = String::with_capacity(text.len() * 3 / 2);
        pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new(&text));
        std::fs::write(out.join(format!("{n}.html")), html)
    })?;
    println!("rendered {} files", files.len());
    Ok(())
}
