//! Generates a realistic synthetic site for benchmarks and the browser suite: `N` postmortems of
//! 2-4 KB each (front matter, summary, a timeline list, status updates, a code block in one of
//! five languages and different in every postmortem, root cause, action items) over `S`
//! services named like real components (in groups) and several years, with overlapping and
//! ongoing incidents and some maintenance. Titles repeat the way they do on real status pages
//! ("Disruption with some services"). The same arguments always give the same files (a
//! fixed-seed SplitMix64, no dependencies).
//!
//! Usage:
//!   cargo run --release --example generate_site -- OUT --count 10000 [--services 12] [--years 6] [--seed 1] [--plain-code]
//! `--plain-code` writes the same files with the code blocks' language left out, so nothing is
//! highlighted: the difference in build time is the cost of highlighting.
//! The incidents span the years before the "as of" time it prints; bench/run.py builds as of
//! 2024-01-01T00:00:00Z.

#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::fmt::Write as _;
use std::path::PathBuf;

struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

const WORDS: &[&str] = &[
    "the",
    "cache",
    "replica",
    "deploy",
    "queue",
    "latency",
    "errors",
    "requests",
    "database",
    "config",
    "rollback",
    "traffic",
    "region",
    "certificate",
    "timeout",
    "pool",
    "node",
    "cluster",
    "alert",
    "engineer",
    "customers",
    "retry",
    "index",
    "throttle",
    "upstream",
    "dns",
    "failover",
    "disk",
    "memory",
    "release",
];
const LANGUAGES: &[(&str, &str)] = &[
    (
        "rust",
        "fn retry(attempts: u32) -> Result<(), Error> {\n    for n in 0..attempts {\n        if call().is_ok() { return Ok(()); }\n        sleep(backoff(n));\n    }\n    Err(Error::GaveUp)\n}",
    ),
    (
        "python",
        "def drain(queue):\n    while queue:\n        item = queue.pop()\n        if not item.expired():\n            deliver(item)\n    return len(queue)",
    ),
    (
        "sql",
        "SELECT endpoint, count(*) AS pending\nFROM deliveries\nWHERE state = 'pending'\nGROUP BY endpoint\nORDER BY pending DESC\nLIMIT 10;",
    ),
    (
        "yaml",
        "database:\n  pool_size: 50\n  acquire_timeout: 2s\n  replicas:\n    - eu-west-1a\n    - eu-west-1b",
    ),
    (
        "bash",
        "kubectl -n payments rollout undo deployment/api\nkubectl -n payments rollout status deployment/api --timeout=120s\ncurl -fsS https://api.example.com/health",
    ),
];
const SEVERITIES: &[&str] = &["critical", "major", "minor"];
/// Component names and their groups, as a large SaaS status page has them; more services than
/// these get numbered names.
const COMPONENTS: &[(&str, &str)] = &[
    ("API Requests", "Platform"),
    ("Webhooks", "Platform"),
    ("Git Operations", "Code"),
    ("Pull Requests", "Code"),
    ("Issues", "Code"),
    ("Actions", "Automation"),
    ("Packages", "Automation"),
    ("Pages", "Hosting"),
    ("Codespaces", "Hosting"),
    ("Notifications", "Platform"),
    ("Search", "Platform"),
    ("Copilot", "Automation"),
];
/// Titles as incident commanders write them, most of them many times over.
const TITLES: &[&str] = &[
    "Disruption with some services",
    "Incident with {s}",
    "Degraded performance for {s}",
    "Elevated error rates for {s}",
    "Increased latency for {s}",
    "{s} unavailable for some users",
    "Delayed processing in {s}",
    "Partial outage of {s}",
    "Disruption with some services",
    "Incident with {s}",
];
const MAINTENANCE: &[&str] = &[
    "Scheduled database maintenance for {s}",
    "Planned network upgrade affecting {s}",
    "Certificate rotation for {s}",
];
/// 2018-01-01T00:00:00Z.
const EPOCH: i64 = 1_514_764_800;

fn sentence(random: &mut Random, words: usize) -> String {
    let mut out = String::new();
    for n in 0..words {
        if n > 0 {
            out.push(' ');
        }
        out.push_str(random.pick(WORDS));
    }
    let mut chars = out.chars();
    let first = chars.next().map(|c| c.to_ascii_uppercase()).unwrap_or('X');
    format!("{first}{}.", chars.as_str())
}

/// Who action items are given to.
const OWNERS: [&str; 9] = [
    "maria", "omar", "li.wei", "priya", "jonas", "amara", "kenji", "sofia", "dmitri",
];

fn iso(seconds: i64) -> String {
    let days = seconds.div_euclid(86_400);
    let rest = seconds.rem_euclid(86_400);
    // Civil-from-days (Howard Hinnant's algorithm), to avoid a date dependency.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:00Z",
        rest / 3600,
        rest % 3600 / 60
    )
}

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let mut out: Option<PathBuf> = None;
    let (mut count, mut services, mut years, mut seed) = (1_000u64, 12u64, 6i64, 1u64);
    let mut plain_code = false;
    while let Some(arg) = args.next() {
        if arg == "--plain-code" {
            plain_code = true;
            continue;
        }
        let mut value = || {
            args.next()
                .and_then(|v| v.parse::<u64>().ok())
                .expect("a number after the flag")
        };
        match arg.as_str() {
            "--count" => count = value(),
            "--services" => services = value(),
            "--years" => years = value() as i64,
            "--seed" => seed = value(),
            other => out = Some(PathBuf::from(other)),
        }
    }
    let out = out.expect(
        "usage: generate_site OUT --count N [--services S] [--years Y] [--seed X] [--plain-code]",
    );
    let mut random = Random(seed);
    let mut config = String::from(
        "title = \"Synthetic status history\"\nbase_url = \"https://status.example.com/\"\ntimezone = \"Europe/Berlin\"\nmax_incident_duration = \"60d\"\n\n[slo]\ntarget = \"99.9%\"\nwindow = \"30d\"\n",
    );
    let names: Vec<String> = (0..services as usize)
        .map(|n| match COMPONENTS.get(n) {
            Some((name, _)) => (*name).to_string(),
            None => format!("Service {n:02}"),
        })
        .collect();
    for (n, name) in names.iter().enumerate() {
        let group = COMPONENTS.get(n).map_or("Other", |(_, group)| group);
        let _ = write!(
            config,
            "\n[[services]]\nname = \"{name}\"\ndescription = \"{}\"\ngroup = \"{group}\"\n",
            sentence(&mut random, 6)
        );
        // A few services with objectives of their own, on calendar windows.
        match n % 4 {
            1 => config.push_str("slo = \"99.95%\"\nslo_window = \"month\"\n"),
            3 => config.push_str("slo = 99.5\nslo_window = \"quarter\"\nslo_weighted = false\n"),
            _ => {}
        }
    }
    std::fs::create_dir_all(out.join("content"))?;
    std::fs::write(out.join("aftermath.toml"), config)?;
    let span = years * 365 * 86_400;
    let as_of = EPOCH + span;
    for n in 0..count {
        // A few incidents in the last two days stay open: the ongoing ones.
        let ongoing = n % 997 == 0;
        let start = if ongoing {
            as_of - 1 - random.below(2 * 86_400) as i64
        } else {
            EPOCH + random.below(span as u64 - 86_400 * 8) as i64
        };
        // Log-uniform durations from about 2 minutes to about 3 days.
        let duration = (120.0 * (2160.0f64).powf(random.below(10_000) as f64 / 10_000.0)) as i64;
        let detected = start + (duration / 10).clamp(60, 3_600);
        let year = iso(start)[..4].to_string();
        let affected: Vec<String> = (0..=random.below(2))
            .map(|_| format!("\"{}\"", names[random.below(services) as usize]))
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        let (language, code) = LANGUAGES[random.below(LANGUAGES.len() as u64) as usize];
        // Every block differs (a comment naming the incident, a changed number), as real ones
        // do: a benchmark of repeated snippets would flatter any cache of highlighted code.
        let marker = if matches!(language, "rust") {
            "//"
        } else if language == "sql" {
            "--"
        } else {
            "#"
        };
        let code = format!(
            "{marker} incident {n}: {} {}\n{}",
            random.pick(WORDS),
            random.pick(WORDS),
            code.replacen("10", &(10 + n % 90).to_string(), 1).replacen(
                "50",
                &(50 + n % 50).to_string(),
                1
            )
        );
        let language = if plain_code { "" } else { language };
        // One in twenty entries is planned maintenance (never ongoing).
        let maintenance = !ongoing && n % 20 == 7;
        let first_service = affected[0].trim_matches('"').to_string();
        let pattern = if maintenance {
            random.pick(MAINTENANCE)
        } else {
            random.pick(TITLES)
        };
        let title = pattern.replace("{s}", &first_service);
        let mut text = format!(
            "+++\ntitle = \"{title}\"\nsummary = \"{}\"\nstart = {}\n",
            sentence(&mut random, 14),
            iso(start)
        );
        if maintenance {
            text.push_str("kind = \"maintenance\"\n");
        }
        if !ongoing {
            let _ = writeln!(text, "end = {}", iso(start + duration));
        }
        let _ = write!(
            text,
            "detected = {}\nservices = [{}]\nseverity = \"{}\"\nimpact = {}\ntags = [\"{}\"]\n",
            iso(detected.min(start + duration)),
            affected.join(", "),
            random.pick(SEVERITIES),
            1 + random.below(100),
            random.pick(WORDS)
        );
        // One in eight incidents says how each service was hit: the first service down for
        // the first third, all of them partly down throughout.
        if !maintenance && n % 8 == 5 {
            let impact_line = text.rfind("impact = ").unwrap();
            let line_end = impact_line + text[impact_line..].find('\n').unwrap() + 1;
            text.replace_range(impact_line..line_end, "");
            let _ = write!(
                text,
                "\n[[impact]]\nservices = [\"{first_service}\"]\nlevel = \"major\"\nto = {}\n\n[[impact]]\nlevel = \"partial\"\n",
                iso(start + (duration / 180).max(1) * 60)
            );
        }
        text.push_str("+++\n\n## Summary\n\n");
        for _ in 0..3 {
            let _ = writeln!(text, "{}", sentence(&mut random, 18));
        }
        text.push_str("\n## Timeline\n\n");
        // Most timelines have a handful of steps; one in ten is a long one.
        let steps = if n % 10 == 3 {
            20 + random.below(15) as i64
        } else {
            4 + random.below(4) as i64
        };
        let last = if ongoing { as_of - start } else { duration };
        for step in 0..steps {
            let at = iso(start + last * step / (steps - 1));
            let _ = writeln!(
                text,
                "- {} {} UTC — {}",
                &at[..10],
                &at[11..16],
                sentence(&mut random, 8)
            );
        }
        text.push_str("\n## Updates\n\n");
        for (step, status) in ["Investigating", "Identified", "Monitoring", "Resolved"]
            .iter()
            .enumerate()
            .take(if ongoing { 2 } else { 4 })
        {
            let at = iso(start + last * step as i64 / 3);
            let _ = writeln!(
                text,
                "**{status}** ({} {} UTC): {}\n",
                &at[..10],
                &at[11..16],
                sentence(&mut random, 14)
            );
        }
        let _ = write!(
            text,
            "\n## Root cause\n\n{} {}\n\n```{language}\n{code}\n```\n\n{}\n\n## Action items\n\n",
            sentence(&mut random, 20),
            sentence(&mut random, 16),
            sentence(&mut random, 24)
        );
        for _ in 0..(2 + random.below(4)) {
            // Older incidents have most of their items done; some open ones are overdue.
            let old = as_of - start > 120 * 86_400;
            let done = random.below(10) < if old { 9 } else { 4 };
            let owner = random.pick(&OWNERS);
            // Due days on done items and on recent ones: a team with years of late items would
            // have turned the overdue check off, and the site checks nearly clean.
            let due = match (random.below(3), done || !old) {
                (0, _) | (_, false) => String::new(),
                _ => format!(
                    " due:{}",
                    &iso(start + (14 + random.below(90) as i64) * 86_400)[..10]
                ),
            };
            let link = match random.below(3) {
                0 => format!(
                    " [OPS-{n}](https://tracker.example.com/OPS-{n})",
                    n = 100 + random.below(9_000)
                ),
                _ => String::new(),
            };
            let _ = writeln!(
                text,
                "- [{}] {} @{owner}{due}{link}",
                if done { "x" } else { " " },
                sentence(&mut random, 9)
            );
        }
        let _ = write!(
            text,
            "\n## Lessons learned\n\n{}\n",
            sentence(&mut random, 30)
        );
        let folder = out.join("content").join(&year);
        std::fs::create_dir_all(&folder)?;
        std::fs::write(folder.join(format!("{n:06}.md")), text)?;
    }
    println!(
        "wrote {count} postmortems to {}; build with --as-of {}",
        out.display(),
        iso(as_of)
    );
    Ok(())
}
