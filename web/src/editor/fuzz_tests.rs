//! Random lines through everything the editor does with a line as it is
//! typed (highlight, diagnose, complete at every caret position) and
//! through the runner: nothing panics, and the highlight covers the line.

use super::complete::complete;
use super::diagnose::diagnose;
use super::index::Index;
use super::lex::highlight;
use crate::runner::Bench;

/// Pieces a learner (or a paste) might put on a line, awkward ones on
/// purpose: quotes, escapes, prefixes, narration, multi-byte text.
const PIECES: &[&str] = &[
    "SET",
    "GET",
    "alice>",
    "bob> ",
    ">",
    "#",
    " ",
    "  ",
    "\t",
    "\"",
    "'",
    "\\",
    "\\x4",
    "\\xzz",
    "\\\"",
    "é",
    "🎉",
    "\u{200b}",
    "key",
    "1",
    "-1.5e3",
    "inf",
    "EX",
    "PX",
    "NX",
    "GEOADD",
    "XADD",
    "*",
    "ZADD",
    "SUBSCRIBE",
    "MULTI",
    "EXEC",
    "BLPOP",
    "0",
    "DEBUG",
    "SLEEP",
    "CLIENT",
    "OBJECT",
    "HELP",
    "{",
    "}",
    "$",
    "a:b:c",
    "9999999999999999999999",
    "\r",
];

fn xorshift(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}

fn random_line(rng: &mut u64) -> String {
    let n = (xorshift(rng) % 9) as usize;
    (0..n)
        .map(|_| PIECES[(xorshift(rng) % PIECES.len() as u64) as usize])
        .collect()
}

#[test]
fn random_lines_never_panic_and_are_highlighted_whole() {
    let mut rng = 0x9e37_79b9_7f4a_7c15u64;
    let mut script = String::new();
    for _ in 0..2_000 {
        let line = random_line(&mut rng);
        let spans = highlight(&line);
        let mut at = 0;
        for s in &spans {
            assert_eq!(s.start, at, "{line:?}: {spans:?}");
            assert!(line.is_char_boundary(s.end), "{line:?}: {spans:?}");
            at = s.end;
        }
        assert_eq!(at, line.len(), "{line:?}");
        let _ = diagnose(&line);
        for (caret, _) in line.char_indices().chain([(line.len(), ' ')]) {
            let _ = complete(&line[..caret], true);
            let _ = complete(&line[..caret], false);
        }
        script.push_str(&line);
        script.push('\n');
    }
    let index = Index::new(&script);
    assert_eq!(index.lines(), script.matches('\n').count() + 1);
    // Every runnable line goes to the engine; the clock moves so blocked
    // clients time out.
    let mut bench = Bench::new(0, &script);
    let ran = bench.run_some(usize::MAX).len();
    assert_eq!(ran, bench.line_count());
    bench.advance_to(10_000_000);
    for _ in 0..20 {
        bench.step_back();
    }
    assert!(bench.pos() < ran);
}
