//! Text to binary floating point, exactly: the digits become a big
//! integer, scaled by their power of ten, and the result is rounded once
//! (to nearest, ties to even), as glibc's `strtod` and `strtold` do. The
//! `f64` and the `long double` readers share this; neither uses `core`'s
//! float parser, whose power table alone is 10 KB of the gzipped wasm.

use super::bignum::Big;

/// `n * 2^e2` (plus, if `sticky`, something positive below n's last bit)
/// rounded to a `bits`-bit significand whose lowest bit has an exponent of
/// at least `min_exp` (below that, precision is lost gradually, as for
/// subnormals). Returns `(mant, exp)` meaning `mant * 2^exp`, with
/// `mant < 2^bits`; `mant` is 0 when the value rounds to zero. With
/// `sticky`, `n` must have at least `bits + 2` bits, so the extra part lies
/// below the rounding bit.
pub fn round(n: &Big, e2: i64, sticky: bool, bits: u32, min_exp: i64) -> (u64, i64) {
    if n.is_zero() {
        return (0, min_exp);
    }
    let len = n.bit_len() as i64;
    let mut exp = (e2 + len - i64::from(bits)).max(min_exp);
    let shift = exp - e2;
    if shift <= 0 {
        // Exact: fewer than `bits` bits, moved up.
        return (n.to_u64().unwrap_or(0) << (-shift), exp);
    }
    let shift = shift as u64;
    let mut mant = u128::from(n.shr(shift).to_u64().unwrap_or(0));
    let half = n.bit(shift - 1);
    let rest = sticky || n.any_below(shift - 1);
    if half && (rest || mant & 1 == 1) {
        mant += 1;
        if mant >> bits != 0 {
            mant >>= 1;
            exp += 1;
        }
    }
    let mant = mant as u64;
    (mant, if mant == 0 { min_exp } else { exp })
}

/// A decimal number's value as a binary one, before rounding.
pub enum Scaled {
    /// `n * 2^e2`, plus something below n's last bit if `sticky`; `n` has
    /// at least 67 bits when `sticky` can be set.
    Value { n: Big, e2: i64, sticky: bool },
    /// At least 10^4933: infinite for every format here.
    Huge,
    /// Below 10^-4951: zero for every format here.
    Tiny,
}

/// The value of a decimal number as `split_number` splits it: all its
/// digits, how many follow the point, and the exponent. `None` for zero.
pub fn scale_decimal(all: &[u8], frac_len: usize, exp: i64) -> Option<Scaled> {
    let start = all.iter().position(|&d| d != b'0')?;
    let end = all
        .iter()
        .rposition(|&d| d != b'0')
        .map_or(start, |i| i + 1);
    let e10 = exp - frac_len as i64 + (all.len() - end) as i64;
    Some(scale_digits(&all[start..end], e10))
}

/// The value of `digits * 10^e10` (`digits` ASCII decimal digits, the
/// first nonzero, at most a few thousand).
fn scale_digits(digits: &[u8], e10: i64) -> Scaled {
    let nd = digits.len() as i64;
    if e10 + nd > 4933 {
        return Scaled::Huge;
    }
    if e10 + nd < -4951 {
        return Scaled::Tiny;
    }
    let mut d = Big::zero();
    for chunk in digits.chunks(19) {
        let v = chunk
            .iter()
            .fold(0u64, |v, &c| v * 10 + u64::from(c - b'0'));
        d.mul_add_small(10u64.pow(chunk.len() as u32), v);
    }
    if e10 >= 0 {
        d.mul_pow10(e10 as u64);
        return Scaled::Value {
            n: d,
            e2: 0,
            sticky: false,
        };
    }
    // floor(d * 2^k / 10^-e10) with at least 67 bits, and a sticky bit.
    let m = Big::pow10((-e10) as u64);
    let k = 67 + m.bit_len() as i64 - d.bit_len() as i64;
    let (n, sticky) = if k >= 0 {
        d.shl(k as u64).div_rem(&m)
    } else {
        d.div_rem(&m.shl((-k) as u64))
    };
    Scaled::Value { n, e2: -k, sticky }
}

/// The value of hex `digits` (ASCII hex digits) times `2^e2`.
pub fn hex_value(digits: &[u8]) -> Big {
    let mut h = Big::zero();
    for &c in digits {
        let v = (c as char).to_digit(16).unwrap_or(0);
        h.mul_add_small(16, u64::from(v));
    }
    h
}
