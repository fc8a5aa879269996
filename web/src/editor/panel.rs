//! Picking a script's runnable lines: Shift+Enter in the workbench's
//! editor sends the caret's line to the console (as if typed there).

use engine::script::parse_line;

/// The runnable lines of `script` (all, or only 1-based line `only`), as
/// the console takes them.
pub fn runnable(script: &str, only: Option<usize>) -> Vec<&str> {
    script
        .lines()
        .enumerate()
        .filter(|(i, _)| only.is_none_or(|l| l == i + 1))
        .filter(|(_, raw)| parse_line(raw).is_some())
        .map(|(_, raw)| raw.trim())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runnable_lines_skip_narration_and_blanks() {
        let script = "# note\nSET a 1\n\n  alice> GET a  \n#! title: x\nFOO\n";
        assert_eq!(runnable(script, None), ["SET a 1", "alice> GET a", "FOO"]);
        assert_eq!(runnable(script, Some(4)), ["alice> GET a"]);
        assert!(runnable(script, Some(1)).is_empty());
    }
}
