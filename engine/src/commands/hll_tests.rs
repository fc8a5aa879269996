//! Unit tests of the HyperLogLog commands; expected replies are what
//! redis-server 7.0.15 answered to the same lines.

use crate::commands::test_support::*;
use crate::event::Event;

const NOT_HLL: &str = "(error) WRONGTYPE Key is not a valid HyperLogLog string value.";
const CORRUPT: &str = "(error) INVALIDOBJ Corrupted HLL object detected";

#[test]
fn pfadd_creates_then_counts() {
    let (mut e, c) = engine();
    check(
        &mut e,
        c,
        &[
            ("PFADD hll", "(integer) 1"),
            ("PFADD hll", "(integer) 0"),
            ("TYPE hll", "string"),
            (
                "GET hll",
                "\"HYLL\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x80\\x7f\\xff\"",
            ),
            ("PFCOUNT hll", "(integer) 0"),
            ("PFADD hll a b c", "(integer) 1"),
            ("PFADD hll a b c", "(integer) 0"),
            ("PFCOUNT hll", "(integer) 3"),
            ("PFDEBUG ENCODING hll", "sparse"),
        ],
    );
}

#[test]
fn the_count_is_cached_in_the_string() {
    let (mut e, c) = engine();
    check(
        &mut e,
        c,
        &[
            ("PFADD hll a b c", "(integer) 1"),
            ("GETRANGE hll 15 15", "\"\\x80\""),
            ("PFCOUNT hll", "(integer) 3"),
            (
                "GETRANGE hll 8 15",
                "\"\\x03\\x00\\x00\\x00\\x00\\x00\\x00\\x00\"",
            ),
            // A forged cache is believed while its top bit is clear.
            ("SETRANGE hll 8 \"\\x07\"", "(integer) 27"),
            ("PFCOUNT hll", "(integer) 7"),
            ("PFCOUNT hll hll", "(integer) 3"),
        ],
    );
}

#[test]
fn type_errors() {
    let (mut e, c) = engine();
    check(
        &mut e,
        c,
        &[
            ("SET s bar", "OK"),
            ("RPUSH l a", "(integer) 1"),
            ("PFADD s a", NOT_HLL),
            ("PFCOUNT s", NOT_HLL),
            ("PFCOUNT l", WRONGTYPE),
            ("PFCOUNT nosuch l s", WRONGTYPE),
            ("PFMERGE d s", NOT_HLL),
            ("EXISTS d", "(integer) 0"),
            ("PFMERGE l", WRONGTYPE),
            (
                "PFDEBUG ENCODING nosuch",
                "(error) ERR The specified key does not exist",
            ),
            ("PFADD h x", "(integer) 1"),
            (
                "PFDEBUG nope h",
                "(error) ERR Unknown PFDEBUG subcommand 'nope'",
            ),
            ("PFDEBUG TODENSE h", "(integer) 1"),
            ("PFDEBUG DECODE h", "(error) ERR HLL encoding is not sparse"),
            ("APPEND h x", "(integer) 12305"),
            ("PFCOUNT h", NOT_HLL),
        ],
    );
}

#[test]
fn a_corrupted_sparse_hll_keeps_the_changes_made_before_the_error() {
    let (mut e, c) = engine();
    // XZERO:10000 only: registers 10000 and up are missing. "" goes to
    // register 5938, "7" to 14839.
    run(
        &mut e,
        c,
        "SET part \"HYLL\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x67\\x0f\"",
    );
    check(
        &mut e,
        c,
        &[
            // The cached count (0, valid) hides the corruption.
            ("PFCOUNT part", "(integer) 0"),
            ("PFADD part \"\" 7", CORRUPT),
            ("PFDEBUG DECODE part", "\"Z:5938 v:2,1 Z:4061\""),
            ("PFMERGE m part", CORRUPT),
            ("EXISTS m", "(integer) 0"),
        ],
    );
}

#[test]
fn pfmerge_keeps_sparse_inputs_sparse_and_turns_dense_with_a_dense_one() {
    let (mut e, c) = engine();
    check(
        &mut e,
        c,
        &[
            ("PFADD a x y", "(integer) 1"),
            ("PFADD b y z", "(integer) 1"),
            ("PFMERGE ab a b", "OK"),
            ("PFDEBUG ENCODING ab", "sparse"),
            ("PFCOUNT ab", "(integer) 3"),
            ("PFDEBUG TODENSE b", "(integer) 1"),
            ("PFMERGE ab2 a b", "OK"),
            ("PFDEBUG ENCODING ab2", "dense"),
            ("PFCOUNT ab2", "(integer) 3"),
            ("PFMERGE e", "OK"),
            ("PFCOUNT e", "(integer) 0"),
        ],
    );
}

#[test]
fn writes_are_events_and_cache_updates_too() {
    let (mut e, c) = engine();
    let written = |key: &str, cmd: &'static str| Event::Written {
        db: 0,
        key: key.as_bytes().to_vec(),
        command: cmd,
    };
    e.take_events();
    run(&mut e, c, "PFADD h a");
    run(&mut e, c, "PFADD h a");
    run(&mut e, c, "PFCOUNT h");
    run(&mut e, c, "PFCOUNT h");
    run(&mut e, c, "PFCOUNT h nosuch");
    run(&mut e, c, "PFMERGE m h");
    run(&mut e, c, "PFDEBUG TODENSE m");
    run(&mut e, c, "PFDEBUG TODENSE m");
    assert_eq!(
        e.take_events(),
        vec![
            written("h", "pfadd"),
            written("h", "pfcount"),
            written("m", "pfmerge"),
            written("m", "pfdebug"),
        ]
    );
}
