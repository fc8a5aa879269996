//! Numbers as Redis reads and writes them: integers (`string2ll`,
//! `ll2string`) and the x87 `long double` of INCRBYFLOAT and HINCRBYFLOAT
//! (`string2ld`, `ld2string`), so replies match byte for byte.
//!
//! # Layout
//! - this file: 64-bit integers.
//! - [`long_double`]: 80-bit extended precision in software.
//! - [`double`]: C's `strtod`.
//! - [`exact`]: decimal and hex text to binary, rounded once (both
//!   readers above).
//! - [`bignum`]: the small unsigned big integer behind exact conversions.

pub mod bignum;
pub mod double;
mod exact;
pub mod long_double;

pub use double::{format_g17, parse_f64, strtod, strtod_prefix};
pub use long_double::LongDouble;

/// Redis's `LONG_STR_SIZE`: a string this long or longer is never an integer.
const LONG_STR_SIZE: usize = 21;

/// Parses an integer exactly as Redis's `string2ll` does: an optional `-`,
/// then digits with no leading zero (a lone `0` aside), nothing else: no
/// spaces, no `+`, no `-0`, fewer than 21 bytes, within `i64`.
pub fn parse_i64(s: &[u8]) -> Option<i64> {
    if s.is_empty() || s.len() >= LONG_STR_SIZE {
        return None;
    }
    if s == b"0" {
        return Some(0);
    }
    let (negative, digits) = match s.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, s),
    };
    match digits.first() {
        Some(b'1'..=b'9') => {}
        _ => return None,
    }
    let mut v: u64 = 0;
    for &b in digits {
        if !b.is_ascii_digit() {
            return None;
        }
        v = v.checked_mul(10)?.checked_add(u64::from(b - b'0'))?;
    }
    if negative {
        // -(2^63) is the one magnitude that only fits negated.
        if v > i64::MAX as u64 + 1 {
            return None;
        }
        Some((v as i64).wrapping_neg())
    } else {
        i64::try_from(v).ok()
    }
}

/// Appends the decimal form of `v` (Redis's `ll2string`).
pub fn write_i64(out: &mut Vec<u8>, v: i64) {
    let mut buf = [0u8; 20];
    let mut pos = buf.len();
    let mut n = v.unsigned_abs();
    loop {
        pos -= 1;
        buf[pos] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    if v < 0 {
        out.push(b'-');
    }
    out.extend_from_slice(&buf[pos..]);
}

/// The decimal form of `v` as bytes.
pub fn i64_bytes(v: i64) -> Vec<u8> {
    let mut out = Vec::with_capacity(20);
    write_i64(&mut out, v);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string2ll_accepts_plain_integers() {
        assert_eq!(parse_i64(b"0"), Some(0));
        assert_eq!(parse_i64(b"7"), Some(7));
        assert_eq!(parse_i64(b"-7"), Some(-7));
        assert_eq!(parse_i64(b"1234567890"), Some(1_234_567_890));
        assert_eq!(parse_i64(b"9223372036854775807"), Some(i64::MAX));
        assert_eq!(parse_i64(b"-9223372036854775808"), Some(i64::MIN));
    }

    #[test]
    fn string2ll_rejects_what_redis_rejects() {
        for s in [
            "",
            "-",
            "+1",
            " 1",
            "1 ",
            "01",
            "00",
            "-0",
            "-01",
            "1.0",
            "1e3",
            "0x10",
            "--1",
            "9223372036854775808",
            "-9223372036854775809",
            "18446744073709551616",
            "99999999999999999999",
            "-09223372036854775808",
            "1\0",
            "١",
        ] {
            assert_eq!(parse_i64(s.as_bytes()), None, "{s:?}");
        }
    }

    #[test]
    fn ll2string_round_trips() {
        for v in [0, 1, -1, 10, -10, 99, i64::MAX, i64::MIN, 1_000_000_007] {
            let text = i64_bytes(v);
            assert_eq!(text, v.to_string().into_bytes());
            assert_eq!(parse_i64(&text), Some(v));
        }
    }
}
