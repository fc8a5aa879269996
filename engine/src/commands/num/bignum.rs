//! A small unsigned big integer, just enough for exact conversions between
//! decimal text and binary floating point (numbers up to ~40,000 bits).
//! Schoolbook algorithms: inputs are short in practice, and a string Redis
//! accepts as a float is under 5,120 bytes, which bounds the worst case.

use std::cmp::Ordering;

/// Little-endian 64-bit limbs, with no zero limb at the top (zero is empty).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Big {
    limbs: Vec<u64>,
}

/// The largest power of ten that fits a limb, for chunked decimal work.
const TEN19: u64 = 10_000_000_000_000_000_000;

impl Big {
    pub fn zero() -> Big {
        Big::default()
    }

    pub fn from_u64(v: u64) -> Big {
        let mut b = Big { limbs: vec![v] };
        b.trim();
        b
    }

    pub fn from_u128(v: u128) -> Big {
        let mut b = Big {
            limbs: vec![v as u64, (v >> 64) as u64],
        };
        b.trim();
        b
    }

    /// 10^n.
    pub fn pow10(n: u64) -> Big {
        let mut b = Big::from_u64(1);
        b.mul_pow10(n);
        b
    }

    fn trim(&mut self) {
        while self.limbs.last() == Some(&0) {
            self.limbs.pop();
        }
    }

    pub fn is_zero(&self) -> bool {
        self.limbs.is_empty()
    }

    /// The number of significant bits (0 for zero).
    pub fn bit_len(&self) -> u64 {
        match self.limbs.last() {
            None => 0,
            Some(&top) => self.limbs.len() as u64 * 64 - u64::from(top.leading_zeros()),
        }
    }

    /// The value if it fits in 64 bits.
    pub fn to_u64(&self) -> Option<u64> {
        match self.limbs.len() {
            0 => Some(0),
            1 => Some(self.limbs[0]),
            _ => None,
        }
    }

    /// Bit `i` (false beyond the top).
    pub fn bit(&self, i: u64) -> bool {
        let limb = (i / 64) as usize;
        self.limbs
            .get(limb)
            .is_some_and(|&l| (l >> (i % 64)) & 1 == 1)
    }

    /// Whether any bit below position `i` is set.
    pub fn any_below(&self, i: u64) -> bool {
        let full = ((i / 64) as usize).min(self.limbs.len());
        if self.limbs[..full].iter().any(|&l| l != 0) {
            return true;
        }
        let rest = i % 64;
        rest > 0
            && self
                .limbs
                .get(full)
                .is_some_and(|&l| l & ((1u64 << rest) - 1) != 0)
    }

    fn set_bit(&mut self, i: u64) {
        let limb = (i / 64) as usize;
        if self.limbs.len() <= limb {
            self.limbs.resize(limb + 1, 0);
        }
        self.limbs[limb] |= 1 << (i % 64);
    }

    /// `self = self * m + a`.
    pub fn mul_add_small(&mut self, m: u64, a: u64) {
        let mut carry = a;
        for limb in &mut self.limbs {
            let wide = u128::from(*limb) * u128::from(m) + u128::from(carry);
            *limb = wide as u64;
            carry = (wide >> 64) as u64;
        }
        if carry != 0 {
            self.limbs.push(carry);
        }
        self.trim();
    }

    /// `self *= 10^n`.
    pub fn mul_pow10(&mut self, mut n: u64) {
        while n >= 19 {
            self.mul_add_small(TEN19, 0);
            n -= 19;
        }
        if n > 0 {
            self.mul_add_small(10u64.pow(n as u32), 0);
        }
    }

    /// `self << n`.
    pub fn shl(&self, n: u64) -> Big {
        if self.is_zero() {
            return Big::zero();
        }
        let whole = (n / 64) as usize;
        let bits = (n % 64) as u32;
        let mut limbs = vec![0u64; whole];
        limbs.reserve(self.limbs.len() + 1);
        if bits == 0 {
            limbs.extend_from_slice(&self.limbs);
        } else {
            let mut carry = 0u64;
            for &l in &self.limbs {
                limbs.push((l << bits) | carry);
                carry = l >> (64 - bits);
            }
            limbs.push(carry);
        }
        let mut b = Big { limbs };
        b.trim();
        b
    }

    /// `self >> n`, dropping the bits shifted out.
    pub fn shr(&self, n: u64) -> Big {
        let whole = (n / 64) as usize;
        if whole >= self.limbs.len() {
            return Big::zero();
        }
        let bits = (n % 64) as u32;
        let src = &self.limbs[whole..];
        let limbs = if bits == 0 {
            src.to_vec()
        } else {
            (0..src.len())
                .map(|i| {
                    let hi = src.get(i + 1).map_or(0, |&h| h << (64 - bits));
                    (src[i] >> bits) | hi
                })
                .collect()
        };
        let mut b = Big { limbs };
        b.trim();
        b
    }

    /// `self >>= 1`.
    fn shr1_assign(&mut self) {
        let mut carry = 0u64;
        for limb in self.limbs.iter_mut().rev() {
            let next = *limb & 1;
            *limb = (*limb >> 1) | (carry << 63);
            carry = next;
        }
        self.trim();
    }

    pub fn add(&self, other: &Big) -> Big {
        let (long, short) = if self.limbs.len() >= other.limbs.len() {
            (self, other)
        } else {
            (other, self)
        };
        let mut limbs = Vec::with_capacity(long.limbs.len() + 1);
        let mut carry = false;
        for (i, &l) in long.limbs.iter().enumerate() {
            let (s1, c1) = l.overflowing_add(short.limbs.get(i).copied().unwrap_or(0));
            let (s2, c2) = s1.overflowing_add(u64::from(carry));
            limbs.push(s2);
            carry = c1 || c2;
        }
        if carry {
            limbs.push(1);
        }
        Big { limbs }
    }

    /// `self -= other`; `other` must not exceed `self`.
    pub fn sub_assign(&mut self, other: &Big) {
        debug_assert!(*self >= *other);
        let mut borrow = false;
        for i in 0..self.limbs.len() {
            let (d1, b1) = self.limbs[i].overflowing_sub(other.limbs.get(i).copied().unwrap_or(0));
            let (d2, b2) = d1.overflowing_sub(u64::from(borrow));
            self.limbs[i] = d2;
            borrow = b1 || b2;
            if !borrow && i >= other.limbs.len() {
                break;
            }
        }
        self.trim();
    }

    /// `floor(self / d)` and whether a remainder is left. Bit by bit, so
    /// meant for quotients of a few hundred bits (`d` must not be zero).
    pub fn div_rem(&self, d: &Big) -> (Big, bool) {
        debug_assert!(!d.is_zero());
        if *self < *d {
            return (Big::zero(), !self.is_zero());
        }
        let shift = self.bit_len() - d.bit_len();
        let mut rem = self.clone();
        let mut sub = d.shl(shift);
        let mut q = Big::zero();
        for i in (0..=shift).rev() {
            if rem >= sub {
                rem.sub_assign(&sub);
                q.set_bit(i);
            }
            sub.shr1_assign();
        }
        (q, !rem.is_zero())
    }

    /// `self /= d`, returning the remainder.
    pub fn div_rem_small(&mut self, d: u64) -> u64 {
        let mut rem = 0u64;
        for limb in self.limbs.iter_mut().rev() {
            let wide = (u128::from(rem) << 64) | u128::from(*limb);
            *limb = (wide / u128::from(d)) as u64;
            rem = (wide % u128::from(d)) as u64;
        }
        self.trim();
        rem
    }

    /// The decimal digits, without leading zeros ("0" for zero).
    pub fn to_decimal(&self) -> String {
        let mut n = self.clone();
        let mut chunks = Vec::new();
        while !n.is_zero() {
            chunks.push(n.div_rem_small(TEN19));
        }
        let mut out = chunks
            .pop()
            .map_or_else(|| "0".to_string(), |c| c.to_string());
        for c in chunks.iter().rev() {
            out.push_str(&format!("{c:019}"));
        }
        out
    }
}

impl Ord for Big {
    fn cmp(&self, other: &Big) -> Ordering {
        self.limbs
            .len()
            .cmp(&other.limbs.len())
            .then_with(|| self.limbs.iter().rev().cmp(other.limbs.iter().rev()))
    }
}

impl PartialOrd for Big {
    fn partial_cmp(&self, other: &Big) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(s: &str) -> Big {
        let mut b = Big::zero();
        for c in s.bytes() {
            b.mul_add_small(10, u64::from(c - b'0'));
        }
        b
    }

    #[test]
    fn decimal_round_trip_and_powers() {
        let s = "123456789012345678901234567890123456789012345678901234567890";
        assert_eq!(dec(s).to_decimal(), s);
        assert_eq!(Big::zero().to_decimal(), "0");
        assert_eq!(Big::pow10(40).to_decimal(), format!("1{}", "0".repeat(40)));
        assert_eq!(
            Big::from_u128(u128::MAX).to_decimal(),
            u128::MAX.to_string()
        );
    }

    #[test]
    fn shifts_bits_and_compare() {
        let one = Big::from_u64(1);
        let big = one.shl(200);
        assert_eq!(big.bit_len(), 201);
        assert!(big.bit(200) && !big.bit(199) && !big.bit(500));
        assert!(!big.any_below(200) && big.any_below(201));
        assert_eq!(big.shr(200), one);
        assert_eq!(big.shr(201), Big::zero());
        assert!(big > one);
        assert_eq!(one.cmp(&big), Ordering::Less);
        let x = Big::from_u128(0xdead_beef_0123_4567_89ab_cdef_1111_2222);
        assert_eq!(x.shl(67).shr(67), x);
        assert_eq!(x.shl(64).shr(3), x.shl(61));
    }

    #[test]
    fn add_sub_divide() {
        let a = dec("340282366920938463463374607431768211456"); // 2^128
        let b = dec("18446744073709551615"); // 2^64 - 1
        let mut s = a.add(&b);
        assert_eq!(s.to_decimal(), "340282366920938463481821351505477763071");
        s.sub_assign(&b);
        assert_eq!(s, a);
        let (q, r) = a.div_rem(&b);
        assert_eq!(q.to_decimal(), "18446744073709551617");
        assert!(r);
        let (q, r) = a.div_rem(&Big::from_u64(1 << 20));
        assert_eq!(q, Big::from_u64(1).shl(108));
        assert!(!r);
        let (q, r) = b.div_rem(&a);
        assert!(q.is_zero() && r);
    }
}
