//! The scenarios the playground ships: one data file per use case in
//! `scenarios/` at the workspace root (also run by the differential test
//! against redis-server, so every transcript is the real one).
//!
//! A file is a script (shared/transcript.md) whose first lines may be
//! `#! name: value` headers: `title`, `story` (why Redis fits, what
//! happens) and `watch` (what to look at while it runs). Headers are `#`
//! lines, so the file runs unchanged anywhere; they are not part of the
//! editable script.

/// One scenario, parsed from its file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scenario {
    /// The URL name (`#/caching`): the file name without `.redis`.
    pub slug: &'static str,
    pub title: String,
    pub story: String,
    pub watch: String,
    /// The script as the editor first shows it (the file minus headers).
    pub script: String,
}

/// The shipped files, in the order the list shows them. Adding a scenario
/// is adding its file and one line here (and its slug to `SLUGS`).
const FILES: &[(&str, &str)] = &[
    ("caching", include_str!("../../scenarios/caching.redis")),
    ("sessions", include_str!("../../scenarios/sessions.redis")),
    (
        "rate-limiting",
        include_str!("../../scenarios/rate-limiting.redis"),
    ),
    ("pubsub", include_str!("../../scenarios/pubsub.redis")),
    ("job-queue", include_str!("../../scenarios/job-queue.redis")),
    ("counters", include_str!("../../scenarios/counters.redis")),
    (
        "leaderboard",
        include_str!("../../scenarios/leaderboard.redis"),
    ),
    ("locks", include_str!("../../scenarios/locks.redis")),
    ("geo", include_str!("../../scenarios/geo.redis")),
    (
        "feature-flags",
        include_str!("../../scenarios/feature-flags.redis"),
    ),
    ("otp", include_str!("../../scenarios/otp.redis")),
    (
        "transactions",
        include_str!("../../scenarios/transactions.redis"),
    ),
    ("roles", include_str!("../../scenarios/roles.redis")),
    ("activity", include_str!("../../scenarios/activity.redis")),
    ("sandbox", include_str!("../../scenarios/sandbox.redis")),
];

/// The agreed slugs (the URL names `#/<slug>`), in list order: the twelve
/// use cases of shared/use-cases.md, the extra scenarios, and the sandbox
/// last. `streams` waits in `scenarios-pending/` until the engine runs its
/// commands.
pub const SLUGS: &[&str] = &[
    "caching",
    "sessions",
    "rate-limiting",
    "pubsub",
    "job-queue",
    "counters",
    "leaderboard",
    "locks",
    "geo",
    "streams",
    "feature-flags",
    "otp",
    "transactions",
    "roles",
    "activity",
    "sandbox",
];

/// Every shipped scenario, in list order.
pub fn all() -> Vec<Scenario> {
    FILES.iter().map(|(slug, text)| parse(slug, text)).collect()
}

/// The scenario named `slug`, if one is shipped.
pub fn find(slug: &str) -> Option<Scenario> {
    FILES
        .iter()
        .find(|(s, _)| *s == slug)
        .map(|(slug, text)| parse(slug, text))
}

/// Splits a file into its headers and its script. Unknown headers are
/// ignored; a missing title falls back to the slug.
pub fn parse(slug: &'static str, text: &str) -> Scenario {
    let mut scenario = Scenario {
        slug,
        title: slug.to_string(),
        story: String::new(),
        watch: String::new(),
        script: String::new(),
    };
    let mut rest = text;
    while let Some(line) = rest.lines().next() {
        let Some(header) = line.strip_prefix("#!") else {
            break;
        };
        rest = &rest[(line.len() + 1).min(rest.len())..];
        let Some((name, value)) = header.split_once(':') else {
            continue;
        };
        let value = value.trim().to_string();
        match name.trim() {
            "title" => scenario.title = value,
            "story" => scenario.story = value,
            "watch" => scenario.watch = value,
            _ => {}
        }
    }
    scenario.script = rest.to_string();
    scenario
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_read_and_left_out_of_the_script() {
        let s = parse(
            "x",
            "#! title: Caching\n#! story: Fast.\n#! odd\n#! watch: TTL\n# narration\nGET a\n",
        );
        assert_eq!(s.title, "Caching");
        assert_eq!(s.story, "Fast.");
        assert_eq!(s.watch, "TTL");
        assert_eq!(s.script, "# narration\nGET a\n");
    }

    #[test]
    fn a_file_without_headers_is_all_script() {
        let s = parse("plain", "SET a 1");
        assert_eq!(s.title, "plain");
        assert_eq!(s.script, "SET a 1");
    }

    #[test]
    fn shipped_slugs_are_agreed_and_in_the_agreed_order() {
        let shipped: Vec<&str> = all().iter().map(|s| s.slug).collect();
        for slug in &shipped {
            assert!(SLUGS.contains(slug), "{slug} is not an agreed slug");
        }
        let agreed_order: Vec<&str> = SLUGS
            .iter()
            .copied()
            .filter(|s| shipped.contains(s))
            .collect();
        assert_eq!(shipped, agreed_order);
        assert_eq!(shipped.last(), Some(&"sandbox"));
        for slug in [
            "caching",
            "sessions",
            "rate-limiting",
            "pubsub",
            "job-queue",
            "counters",
            "leaderboard",
            "locks",
            "geo",
            "feature-flags",
            "otp",
        ] {
            assert!(shipped.contains(&slug), "{slug} is not shipped");
        }
    }

    #[test]
    fn every_line_of_every_scenario_splits_as_redis_cli_would() {
        for s in all() {
            for line in engine::script::lines(&s.script) {
                assert!(
                    engine::split::split_args(line.command).is_ok(),
                    "{}:{}: {}",
                    s.slug,
                    line.number,
                    line.command
                );
            }
        }
    }

    /// Error replies anywhere in a reply (EXEC nests them).
    fn errors(reply: &engine::Reply, out: &mut Vec<String>) {
        match reply {
            engine::Reply::Error(text) => out.push(text.clone()),
            engine::Reply::Array(items) => items.iter().for_each(|r| errors(r, out)),
            _ => {}
        }
    }

    #[test]
    fn scenarios_run_without_errors_but_those_they_show_on_purpose() {
        // The errors a scenario demonstrates, and says so in its narration.
        let expected: &[(&str, &[&str])] = &[
            (
                "pubsub",
                &["ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context"],
            ),
            ("transactions", &["ERR value is not an integer or out of range"]),
        ];
        for s in all() {
            let mut runner = engine::script::Runner::new(engine::Engine::new(1_700_000_000_000));
            let mut found = Vec::new();
            for line in engine::script::lines(&s.script) {
                for block in runner.run(line.client.unwrap_or("default"), line.command) {
                    if let Some(reply) = &block.reply {
                        errors(reply, &mut found);
                    }
                }
            }
            let want: Vec<String> = expected
                .iter()
                .find(|(slug, _)| *slug == s.slug)
                .map(|(_, e)| e.iter().map(|t| t.to_string()).collect())
                .unwrap_or_default();
            assert_eq!(found, want, "{}", s.slug);
        }
    }

    #[test]
    fn every_shipped_scenario_has_a_title_a_story_and_commands() {
        let all = all();
        assert!(all.iter().any(|s| s.slug == "sandbox"));
        for s in &all {
            assert!(!s.story.is_empty(), "{} has no story", s.slug);
            assert!(!s.watch.is_empty(), "{} has nothing to watch", s.slug);
            assert_ne!(s.title, s.slug, "{} has no title", s.slug);
            assert!(
                !engine::script::lines(&s.script).is_empty(),
                "{} has no commands",
                s.slug
            );
        }
        assert_eq!(find("sandbox").map(|s| s.slug), Some("sandbox"));
        assert_eq!(find("nope"), None);
    }
}
