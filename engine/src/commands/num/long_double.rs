//! The x87 80-bit `long double` that Redis's INCRBYFLOAT and HINCRBYFLOAT
//! compute in, emulated in software so results match on every target
//! (wasm32 has no extended precision, and `f64` rounds differently).
//!
//! A value is `mant * 2^exp` with a 64-bit significand. Parsing rounds the
//! exact decimal (or hex) value once, as glibc's `strtold` does; addition
//! rounds the exact sum once; printing is exact, as glibc's `printf` is.
//! Rounding is always to nearest, ties to even.

use super::bignum::Big;
use super::exact::{self, Scaled};

/// Exponent of the significand's lowest bit for subnormals and the
/// smallest normal binade (the smallest normal is 2^-16382).
const MIN_EXP: i64 = -16382 - 63;
/// Exponent of the significand's lowest bit in the largest binade.
const MAX_EXP: i64 = 16383 - 63;
/// Redis's `MAX_LONG_DOUBLE_CHARS`: longer strings are not floats.
const MAX_LONG_DOUBLE_CHARS: usize = 5 * 1024;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LongDouble {
    /// `mant * 2^exp`. Normal values have bit 63 of `mant` set; subnormals
    /// and zero have `exp == MIN_EXP`.
    Finite {
        neg: bool,
        mant: u64,
        exp: i32,
    },
    Inf {
        neg: bool,
    },
    Nan,
}

impl LongDouble {
    pub const ZERO: LongDouble = LongDouble::Finite {
        neg: false,
        mant: 0,
        exp: MIN_EXP as i32,
    };

    fn zero(neg: bool) -> LongDouble {
        LongDouble::Finite {
            neg,
            mant: 0,
            exp: MIN_EXP as i32,
        }
    }

    pub fn is_finite(self) -> bool {
        matches!(self, LongDouble::Finite { .. })
    }

    /// Exact for every `i64` (the significand has 64 bits), as C's
    /// `(long double)` conversion of Redis's integer-encoded strings.
    pub fn from_i64(v: i64) -> LongDouble {
        round(v < 0, &Big::from_u64(v.unsigned_abs()), 0, false)
    }

    /// Reads a float exactly as Redis's `string2ld` does: glibc `strtold`
    /// syntax (decimal, hex `0x1.8p3`, `inf`, `infinity`), the whole string
    /// and nothing else, no leading space, under 5,120 bytes. NaN, and a
    /// value out of range (overflowing, or a nonzero one rounding to zero),
    /// are refused.
    pub fn parse(s: &[u8]) -> Option<LongDouble> {
        if s.is_empty() || s.len() >= MAX_LONG_DOUBLE_CHARS {
            return None;
        }
        let (neg, body) = match s[0] {
            b'-' => (true, &s[1..]),
            b'+' => (false, &s[1..]),
            _ => (false, s),
        };
        if body.eq_ignore_ascii_case(b"inf") || body.eq_ignore_ascii_case(b"infinity") {
            return Some(LongDouble::Inf { neg });
        }
        let hex = body.len() > 2 && body[0] == b'0' && (body[1] | 0x20) == b'x';
        let parsed = if hex {
            parse_hex(neg, &body[2..])
        } else {
            parse_decimal(neg, body)
        };
        // "0x" with no hex digit after it is strtold's "0" then junk.
        parsed.filter(|v| v.is_finite())
    }

    /// Exact: every double is a long double (GEO's coordinates are
    /// printed through one, `addReplyHumanLongDouble`).
    pub fn from_f64(v: f64) -> LongDouble {
        if v.is_nan() {
            return LongDouble::Nan;
        }
        let neg = v.is_sign_negative();
        if v.is_infinite() {
            return LongDouble::Inf { neg };
        }
        let bits = v.abs().to_bits();
        let biased = (bits >> 52) as i64;
        let frac = bits & ((1 << 52) - 1);
        let (m, e) = if biased == 0 {
            (frac, -1074)
        } else {
            (frac | 1 << 52, biased - 1075)
        };
        round(neg, &Big::from_u64(m), e, false)
    }

    /// `printf("%.17Lf")`: the exact value rounded to 17 decimals.
    pub fn to_fixed17(self) -> String {
        self.to_fixed(17)
    }

    /// `printf("%.<decimals>Lf")` for up to 17 decimals: the exact value
    /// rounded once, ties to even (GEODIST's `%.4f`, GEO's `%f`).
    pub fn to_fixed(self, decimals: u32) -> String {
        let decimals = decimals.min(17);
        let (neg, mant, exp) = match self {
            LongDouble::Inf { neg } => return if neg { "-inf" } else { "inf" }.to_string(),
            LongDouble::Nan => return "nan".to_string(),
            LongDouble::Finite { neg, mant, exp } => (neg, mant, i64::from(exp)),
        };
        let sign = if neg { "-" } else { "" };
        let point = if decimals == 0 { "" } else { "." };
        if exp >= 0 {
            let int = Big::from_u64(mant).shl(exp as u64).to_decimal();
            return format!("{sign}{int}{point}{}", "0".repeat(decimals as usize));
        }
        // |value| * 10^decimals = mant * 10^decimals / 2^shift, below 2^121.
        let shift = (-exp) as u32;
        let scaled = u128::from(mant) * 10u128.pow(decimals);
        let units = if shift >= 122 {
            0 // below half a unit of the last decimal
        } else {
            let q = scaled >> shift;
            let rem = scaled & ((1u128 << shift) - 1);
            let half = 1u128 << (shift - 1);
            if rem > half || (rem == half && q & 1 == 1) {
                q + 1
            } else {
                q
            }
        };
        // Through Big rather than `u128`'s Display, which would add its own
        // 1.3 KB of formatting code to the wasm.
        let width = decimals as usize + 1;
        let digits = format!("{:0>width$}", Big::from_u128(units).to_decimal());
        let (int, frac) = digits.split_at(digits.len() - decimals as usize);
        format!("{sign}{int}{point}{frac}")
    }

    /// Redis's `ld2string(..., LD_STR_HUMAN)`: `%.17Lf`, trailing zeros
    /// and a bare point removed, `-0` written `0`.
    pub fn to_human(self) -> String {
        if !self.is_finite() {
            return self.to_fixed17();
        }
        let mut s = self.to_fixed17();
        if s.contains('.') {
            let kept = s.trim_end_matches('0').trim_end_matches('.').len();
            s.truncate(kept);
        }
        if s == "-0" {
            s = "0".to_string();
        }
        s
    }
}

impl std::ops::Add for LongDouble {
    type Output = LongDouble;

    /// `self + other`, rounded once.
    fn add(self, other: LongDouble) -> LongDouble {
        use LongDouble::{Finite, Inf, Nan};
        match (self, other) {
            (Nan, _) | (_, Nan) => Nan,
            (Inf { neg: a }, Inf { neg: b }) if a != b => Nan,
            (Inf { .. }, _) => self,
            (_, Inf { .. }) => other,
            (
                Finite {
                    neg: na,
                    mant: ma,
                    exp: ea,
                },
                Finite {
                    neg: nb,
                    mant: mb,
                    exp: eb,
                },
            ) => {
                if ma == 0 && mb == 0 {
                    return LongDouble::zero(na && nb);
                }
                if mb == 0 {
                    return self;
                }
                if ma == 0 {
                    return other;
                }
                let ((nh, mh, eh), (nl, ml, el)) = if ea >= eb {
                    ((na, ma, ea), (nb, mb, eb))
                } else {
                    ((nb, mb, eb), (na, ma, ea))
                };
                let diff = i64::from(eh) - i64::from(el);
                // The smaller operand is below 2^-66 of the larger's last
                // bit: it cannot move the rounded result.
                if diff > 130 {
                    return if ea >= eb { self } else { other };
                }
                let high = Big::from_u64(mh).shl(diff as u64);
                let low = Big::from_u64(ml);
                if nh == nl {
                    return round(nh, &high.add(&low), i64::from(el), false);
                }
                match high.cmp(&low) {
                    std::cmp::Ordering::Equal => LongDouble::ZERO,
                    std::cmp::Ordering::Greater => {
                        let mut d = high;
                        d.sub_assign(&low);
                        round(nh, &d, i64::from(el), false)
                    }
                    std::cmp::Ordering::Less => {
                        let mut d = low;
                        d.sub_assign(&high);
                        round(nl, &d, i64::from(el), false)
                    }
                }
            }
        }
    }
}

/// Rounds `n * 2^e2` (plus, if `sticky`, something positive below n's last
/// bit) to a long double. With `sticky`, `n` must have at least 66 bits so
/// the extra part lies below the rounding bit.
fn round(neg: bool, n: &Big, e2: i64, sticky: bool) -> LongDouble {
    let (mant, exp) = exact::round(n, e2, sticky, 64, MIN_EXP);
    if exp > MAX_EXP {
        return LongDouble::Inf { neg };
    }
    LongDouble::Finite {
        neg,
        mant,
        exp: exp as i32,
    }
}

/// Digits, an optional point and more digits (at least one digit in all),
/// then an optional exponent `p`/`e` with a sign and at least one decimal
/// digit, then the end. Returns (all digits, digits after the point,
/// exponent saturated to ±10^9).
pub(super) fn split_number(
    s: &[u8],
    is_digit: fn(u8) -> bool,
    exp_char: u8,
) -> Option<(Vec<u8>, usize, i64)> {
    let int_len = s.iter().take_while(|&&b| is_digit(b)).count();
    let mut rest = &s[int_len..];
    let mut frac: &[u8] = &[];
    if rest.first() == Some(&b'.') {
        let n = rest[1..].iter().take_while(|&&b| is_digit(b)).count();
        frac = &rest[1..1 + n];
        rest = &rest[1 + n..];
    }
    if int_len + frac.len() == 0 {
        return None;
    }
    let mut exp: i64 = 0;
    if let Some((&c, after)) = rest.split_first() {
        if c | 0x20 != exp_char {
            return None;
        }
        let (negative, digits) = match after.split_first() {
            Some((b'-', d)) => (true, d),
            Some((b'+', d)) => (false, d),
            _ => (false, after),
        };
        if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
            return None;
        }
        for &d in digits {
            exp = (exp * 10 + i64::from(d - b'0')).min(1_000_000_000);
        }
        if negative {
            exp = -exp;
        }
    }
    let mut all = Vec::with_capacity(int_len + frac.len());
    all.extend_from_slice(&s[..int_len]);
    all.extend_from_slice(frac);
    Some((all, frac.len(), exp))
}

fn parse_decimal(neg: bool, s: &[u8]) -> Option<LongDouble> {
    let (all, frac_len, exp) = split_number(s, |b| b.is_ascii_digit(), b'e')?;
    match exact::scale_decimal(&all, frac_len, exp) {
        None => Some(LongDouble::zero(neg)),
        // Beyond the largest long double, or rounding to zero: refused.
        Some(Scaled::Huge | Scaled::Tiny) => None,
        Some(Scaled::Value { n, e2, sticky }) => refuse_out_of_range(round(neg, &n, e2, sticky)),
    }
}

fn parse_hex(neg: bool, s: &[u8]) -> Option<LongDouble> {
    let (all, frac_len, exp) = split_number(s, |b| b.is_ascii_hexdigit(), b'p')?;
    let start = all.iter().position(|&d| d != b'0');
    let Some(start) = start else {
        return Some(LongDouble::zero(neg));
    };
    let h = exact::hex_value(&all[start..]);
    let e2 = exp - 4 * frac_len as i64;
    let top = e2 + h.bit_len() as i64 - 1;
    if top > 16383 {
        return None;
    }
    if top < MIN_EXP - 1 {
        return None; // below half the smallest subnormal
    }
    refuse_out_of_range(round(neg, &h, e2, false))
}

/// strtold's ERANGE cases that string2ld refuses: overflow to infinity and
/// a nonzero input rounding to zero (inputs here are nonzero).
fn refuse_out_of_range(v: LongDouble) -> Option<LongDouble> {
    match v {
        LongDouble::Finite { mant: 0, .. } | LongDouble::Inf { .. } => None,
        v => Some(v),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ld(s: &str) -> LongDouble {
        LongDouble::parse(s.as_bytes()).unwrap_or_else(|| panic!("{s} should parse"))
    }

    fn sum(a: &str, b: &str) -> String {
        (ld(a) + ld(b)).to_human()
    }

    #[test]
    fn results_seen_on_redis_7() {
        assert_eq!(sum("10.50", "0.1"), "10.6");
        assert_eq!(sum("10.6", "5.0e3"), "5010.60000000000000009");
        assert_eq!(sum("3.0e3", "2.0e2"), "3200");
        assert_eq!(sum("0", "0.1"), "0.1");
        assert_eq!(sum("0.1", "0.1"), "0.2");
        assert_eq!(sum("0.2", "0.1"), "0.3");
        assert_eq!(sum("0", "1e30"), "1000000000000000000024696061952");
        assert_eq!(sum("0", "-1e-20"), "0");
        assert_eq!(
            sum("0", "123456789012345678901234567890.123456789"),
            "123456789012345678899921813504"
        );
        assert_eq!(sum("0", "3.4e-17"), "0.00000000000000003");
        assert_eq!(sum("0", "5e-18"), "0");
        assert_eq!(sum("0", "1.5e-17"), "0.00000000000000002");
        assert_eq!(sum("0", "2.5e-17"), "0.00000000000000002");
    }

    #[test]
    fn printing_ties_go_to_even() {
        assert_eq!(sum("0", "0.000003814697265625"), "0.00000381469726562");
        assert_eq!(sum("0", "0.000011444091796875"), "0.00001144409179688");
    }

    #[test]
    fn strtold_syntax() {
        assert_eq!(ld("0x10").to_human(), "16");
        assert_eq!(ld("0x1p-3").to_human(), "0.125");
        assert_eq!(ld("0x.8").to_human(), "0.5");
        assert_eq!(ld("0X1P1").to_human(), "2");
        assert_eq!(ld("0x1.p1").to_human(), "2");
        assert_eq!(ld("-0x.1").to_human(), "-0.0625");
        assert_eq!(ld("+1").to_human(), "1");
        assert_eq!(ld(".5").to_human(), "0.5");
        assert_eq!(ld("5.").to_human(), "5");
        assert_eq!(ld("1E2").to_human(), "100");
        assert_eq!(ld("1e+2").to_human(), "100");
        assert_eq!(ld("-0.0").to_human(), "0");
        assert_eq!(ld("0e-10000").to_human(), "0");
        assert_eq!(ld("INF"), LongDouble::Inf { neg: false });
        assert_eq!(ld("-Infinity"), LongDouble::Inf { neg: true });
        for bad in [
            "",
            " 1",
            "1 ",
            "1e",
            "1e+",
            ".",
            "0x",
            "0x1p",
            "nan",
            "NaN(1)",
            "infinit",
            "1\0",
            "1e-5000",
            "1e4933",
            "0x1p-16446",
            "0x1p16384",
            "--1",
            "1..2",
            "e5",
        ] {
            assert_eq!(LongDouble::parse(bad.as_bytes()), None, "{bad:?}");
        }
        let mut long = b"0.".to_vec();
        long.resize(5119, b'1');
        assert_eq!(
            LongDouble::parse(&long).map(|v| v.to_human()).as_deref(),
            Some("0.11111111111111111")
        );
        long.push(b'1');
        assert_eq!(LongDouble::parse(&long), None);
    }

    #[test]
    fn range_limits() {
        // The smallest subnormal parses; a tie below it rounds to zero.
        assert!(LongDouble::parse(b"0x1p-16445").is_some());
        assert!(LongDouble::parse(b"1e-4950").is_some());
        assert!(LongDouble::parse(b"0x1p16383").is_some());
        let big = ld("1.1e4932");
        assert_eq!(big + big, LongDouble::Inf { neg: false });
        assert!(!(ld("inf") + ld("-inf")).is_finite());
        assert_eq!(sum("1e308", "1e308").len(), 309);
    }

    #[test]
    fn integers_are_exact() {
        assert_eq!(
            LongDouble::from_i64(i64::MIN).to_human(),
            i64::MIN.to_string()
        );
        assert_eq!(
            LongDouble::from_i64(i64::MAX).to_human(),
            i64::MAX.to_string()
        );
        assert_eq!(ld("9223372036854775807"), LongDouble::from_i64(i64::MAX));
        assert_eq!(sum("5", "-5"), "0");
    }

    #[test]
    fn random_text_never_panics() {
        let alphabet = b"0123456789.eEpPxX+-infatyINF0x1p\0 ";
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..20_000 {
            let len = (next() % 12) as usize + 1;
            let text: Vec<u8> = (0..len)
                .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
                .collect();
            if let Some(v) = LongDouble::parse(&text) {
                let sum = v + v;
                let _ = sum.to_human();
                let _ = (v + LongDouble::from_i64(-1)).to_human();
            }
        }
    }
}
