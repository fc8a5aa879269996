//! Lines that cannot run, marked as they are typed, with the text running
//! them answers: redis-cli's `Invalid argument(s)` for a line it cannot
//! split, else the error dispatch refuses the command with (unknown
//! command or subcommand, wrong number of arguments). Pure and per line:
//! the editor asks only for the lines on screen.

use engine::commands::introspect::docs;
use engine::script::parse_line;
use engine::split::{split_args, INVALID_ARGUMENTS};

/// Why `line` cannot run, or `None` (also for blank and `#` lines).
pub fn diagnose(line: &str) -> Option<String> {
    let (_, command) = parse_line(line)?;
    match split_args(command) {
        Err(_) => Some(INVALID_ARGUMENTS.to_string()),
        Ok(argv) => docs::refusal(&argv),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use engine::script::Runner;
    use engine::Engine;

    #[test]
    fn the_three_refusals() {
        assert_eq!(
            diagnose("FOO bar baz").as_deref(),
            Some("ERR unknown command 'FOO', with args beginning with: 'bar' 'baz' ")
        );
        assert_eq!(
            diagnose("get").as_deref(),
            Some("ERR wrong number of arguments for 'get' command")
        );
        assert_eq!(diagnose("SET \"a").as_deref(), Some("Invalid argument(s)"));
        assert_eq!(
            diagnose("SET 'a'b c").as_deref(),
            Some("Invalid argument(s)")
        );
    }

    #[test]
    fn runnable_and_skipped_lines_are_fine() {
        for line in [
            "",
            "   ",
            "# narration with \"unbalanced",
            "#! title: x",
            "SET k v",
            "alice> GET k",
            "alice>",
            "config get maxmemory",
        ] {
            assert_eq!(diagnose(line), None, "{line:?}");
        }
        assert!(diagnose("alice> NOPE")
            .unwrap()
            .starts_with("ERR unknown command 'NOPE'"));
        assert!(diagnose("CONFIG NOPE")
            .unwrap()
            .starts_with("ERR unknown subcommand 'NOPE'"));
    }

    /// Whatever the diagnosis says is what the runner prints for the line.
    #[test]
    fn diagnoses_match_what_running_prints() {
        let mut runner = Runner::new(Engine::new(0));
        for line in [
            "FOO",
            "foo a b",
            "GET",
            "SET k",
            "SET \"x",
            "HSET h",
            "CLIENT NOPE",
            "EXPIRE k",
            "worker> ZADD z",
        ] {
            let (client, command) = parse_line(line).unwrap();
            let blocks = runner.run(client.unwrap_or("default"), command);
            let printed = blocks[0].text.strip_suffix('\n').unwrap();
            let expected = diagnose(line).expect(line);
            let expected = if expected == INVALID_ARGUMENTS {
                expected
            } else {
                format!("(error) {expected}")
            };
            assert_eq!(printed, expected, "{line}");
        }
    }
}
