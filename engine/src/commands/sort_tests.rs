//! Unit tests of SORT and SORT_RO; expected replies are what
//! redis-server 7.0.15 answered to the same lines.

use crate::commands::test_support::*;

const NOT_DOUBLE: &str = "(error) ERR One or more scores can't be converted into double";

#[test]
fn numeric_alpha_and_desc() {
    let (mut e, c) = engine();
    check(
        &mut e,
        c,
        &[
            ("RPUSH l 10 2 1.5 -3 inf", "(integer) 5"),
            (
                "SORT l",
                "1) \"-3\"\n2) \"1.5\"\n3) \"2\"\n4) \"10\"\n5) \"inf\"",
            ),
            ("SORT l ALPHA LIMIT 0 2", "1) \"-3\"\n2) \"1.5\""),
            ("SORT l DESC LIMIT 0 1", "1) \"inf\""),
            ("SORT_RO l LIMIT 4 10", "1) \"inf\""),
            ("SORT nokey", "(empty array)"),
        ],
    );
}

#[test]
fn bad_input_is_an_error_not_a_panic() {
    let (mut e, c) = engine();
    check(
        &mut e,
        c,
        &[
            ("RPUSH l 1 x", "(integer) 2"),
            ("SORT l", NOT_DOUBLE),
            ("SORT l STORE d", NOT_DOUBLE),
            ("EXISTS d", "(integer) 0"),
            ("SORT l LIMIT", SYNTAX),
            ("SORT l LIMIT 0", SYNTAX),
            ("SORT l LIMIT x 1", NOT_INT),
            ("SORT l LIMIT 0 99999999999999999999", NOT_INT),
            ("SORT l BY", SYNTAX),
            ("SORT l GET", SYNTAX),
            ("SORT l STORE", SYNTAX),
            ("SORT_RO l STORE d", SYNTAX),
            ("SORT l NOPE", SYNTAX),
            ("SET s v", "OK"),
            ("SORT s", WRONGTYPE),
            ("SORT s NOPE", SYNTAX),
            (
                "SORT l ALPHA LIMIT 9223372036854775807 9223372036854775807",
                "(empty array)",
            ),
            (
                "SORT l ALPHA LIMIT -9223372036854775808 -9223372036854775808",
                "1) \"1\"\n2) \"x\"",
            ),
            ("SORT l ALPHA LIMIT 1 9223372036854775807", "1) \"x\""),
            (
                "SORT l BY nosort LIMIT 2 9223372036854775807",
                "(empty array)",
            ),
            (
                "SORT l BY nosort DESC LIMIT 9223372036854775807 1",
                "(empty array)",
            ),
        ],
    );
}

#[test]
fn patterns_with_odd_bytes() {
    let (mut e, c) = engine();
    check(
        &mut e,
        c,
        &[
            ("RPUSH l a", "(integer) 1"),
            ("SORT l BY nosort GET *", "1) (nil)"),
            ("SORT l BY nosort GET ->", "1) (nil)"),
            ("SORT l BY nosort GET *->", "1) (nil)"),
            ("SORT l BY nosort GET \"#\\x00x\"", "1) \"a\""),
            ("SORT l BY nosort GET \"\\x00*\"", "1) (nil)"),
            ("SORT l BY \"\\x00*\"", "1) \"a\""),
            ("SET \"a\\x00b\" v", "OK"),
            ("SORT l BY nosort GET \"*\\x00b\"", "1) \"v\""),
            ("HSET ha f hv", "(integer) 1"),
            (
                "SORT l BY nosort GET h*->f GET h*->g GET \"h*->\\x00f\"",
                "1) \"hv\"\n2) (nil)\n3) (nil)",
            ),
        ],
    );
}

#[test]
fn strtod_scores() {
    use super::score;
    assert_eq!(score(b""), Some(0.0));
    assert_eq!(score(b" 1"), Some(1.0));
    assert_eq!(score(b"0x10"), Some(16.0));
    assert_eq!(score(b"1e3"), Some(1000.0));
    assert_eq!(score(b"3\0abc"), Some(3.0));
    assert_eq!(score(b"-InFiNiTy"), Some(f64::NEG_INFINITY));
    assert_eq!(score(b"0x1p-1074"), Some(f64::from_bits(1)));
    for bad in [
        &b"1 "[..],
        b"0x",
        b"1e",
        b"nan",
        b"nan(1)",
        b"1e400",
        b"1e-310",
        b"1e-400",
        b"0x1p-1075",
        b"-",
        b".",
        b"e5",
    ] {
        assert_eq!(score(bad), None, "{:?}", String::from_utf8_lossy(bad));
    }
}
