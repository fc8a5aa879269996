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
/// is adding its file and one line here.
const FILES: &[(&str, &str)] = &[("sandbox", include_str!("../../scenarios/sandbox.redis"))];

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
    fn every_shipped_scenario_has_a_title_a_story_and_commands() {
        let all = all();
        assert!(all.iter().any(|s| s.slug == "sandbox"));
        for s in &all {
            assert!(!s.story.is_empty(), "{} has no story", s.slug);
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
