//! Redis's HyperLogLog (`hyperloglog.c` of 7.0), as pure functions over the
//! string that holds it, so the bytes GET shows are the bytes Redis keeps.
//!
//! # Layout of the string
//! A 16-byte header: `HYLL`, the encoding (0 dense, 1 sparse), three unused
//! bytes, and the cached cardinality (8 bytes, little endian; its top bit
//! set means "stale"). Then the 16384 registers (P = 14), either
//! - dense: 6 bits each, packed from the least significant bit of each
//!   byte up (12288 bytes), or
//! - sparse: run-length opcodes, `00xxxxxx` ZERO (1..64 zero registers),
//!   `01xxxxxx yyyyyyyy` XZERO (1..16384 zero registers), `1vvvvvxx` VAL
//!   (1..4 registers of value 1..32). A sparse HLL turns dense when a
//!   register needs more than 32 or the string would pass
//!   `hll-sparse-max-bytes` (3000).
//!
//! A corrupted sparse string is reported as [`Corrupt`] where Redis detects
//! it; reads past the end see the zero byte that ends every `sds` string,
//! as Redis's do, so malformed input gives Redis's answer, never a panic.

/// The header: magic, encoding, 3 unused bytes, cached cardinality.
pub const HDR_SIZE: usize = 16;
/// Registers: 2^14.
pub const REGISTERS: usize = 1 << P;
/// The whole dense string.
pub const DENSE_SIZE: usize = HDR_SIZE + (REGISTERS * BITS).div_ceil(8);
/// Redis's default `hll-sparse-max-bytes`.
pub const SPARSE_MAX_BYTES: usize = 3000;

const P: usize = 14;
/// Bits of the hash left for the run of zeros (64 - P).
const Q: usize = 64 - P;
const BITS: usize = 6;
const REGISTER_MAX: u8 = (1 << BITS) - 1;
const DENSE: u8 = 0;
const SPARSE: u8 = 1;
const VAL_MAX_VALUE: u8 = 32;
const VAL_MAX_LEN: usize = 4;
const ZERO_MAX_LEN: usize = 64;
/// 0.5 / ln(2), the constant of Ertl's estimator.
const ALPHA_INF: f64 = 0.721_347_520_444_481_7;
const SEED: u64 = 0xadc8_3b19;

/// The HLL is malformed (Redis's `INVALIDOBJ Corrupted HLL object
/// detected`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Corrupt;

/// Whether a string passes Redis's `isHLLObjectOrReply`: at least a
/// header, the magic, a known encoding, and a dense one of exact size.
pub fn is_valid(s: &[u8]) -> bool {
    s.len() >= HDR_SIZE
        && &s[..4] == b"HYLL"
        && s[4] <= SPARSE
        && (s[4] != DENSE || s.len() == DENSE_SIZE)
}

pub fn is_sparse(s: &[u8]) -> bool {
    s.get(4) == Some(&SPARSE)
}

/// A new, empty HLL: sparse, one XZERO of 16384, cached cardinality 0.
pub fn new_sparse() -> Vec<u8> {
    let mut s = b"HYLL".to_vec();
    s.extend_from_slice(&[SPARSE, 0, 0, 0]);
    s.extend_from_slice(&[0; 8]);
    push_xzero(&mut s, REGISTERS);
    s
}

/// MurmurHash64A (Redis's endian-neutral variant).
pub fn murmur64a(data: &[u8], seed: u64) -> u64 {
    const M: u64 = 0xc6a4_a793_5bd1_e995;
    const R: u32 = 47;
    let mut h = seed ^ (data.len() as u64).wrapping_mul(M);
    let mut chunks = data.chunks_exact(8);
    for chunk in &mut chunks {
        let mut k = u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]));
        k = k.wrapping_mul(M);
        k ^= k >> R;
        k = k.wrapping_mul(M);
        h ^= k;
        h = h.wrapping_mul(M);
    }
    let tail = chunks.remainder();
    if !tail.is_empty() {
        for (i, &b) in tail.iter().enumerate() {
            h ^= (b as u64) << (8 * i);
        }
        h = h.wrapping_mul(M);
    }
    h ^= h >> R;
    h = h.wrapping_mul(M);
    h ^= h >> R;
    h
}

/// The register an element falls in and the length of its `0...01`
/// pattern (1..=51): Redis's `hllPatLen`.
pub fn pattern(element: &[u8]) -> (usize, u8) {
    let hash = murmur64a(element, SEED);
    let index = (hash as usize) & (REGISTERS - 1);
    let rest = (hash >> P) | (1 << Q);
    (index, rest.trailing_zeros() as u8 + 1)
}

// ---- cached cardinality --------------------------------------------------

/// The cached cardinality, if it is marked valid.
pub fn cached(s: &[u8]) -> Option<u64> {
    let card = u64::from_le_bytes(s.get(8..16)?.try_into().ok()?);
    (card >> 63 == 0).then_some(card)
}

pub fn set_cached(s: &mut [u8], card: u64) {
    if let Some(bytes) = s.get_mut(8..16) {
        bytes.copy_from_slice(&card.to_le_bytes());
    }
}

pub fn invalidate_cache(s: &mut [u8]) {
    if let Some(b) = s.get_mut(15) {
        *b |= 0x80;
    }
}

// ---- dense ---------------------------------------------------------------

/// Register `i` of packed 6-bit registers; a byte past the end reads 0.
fn dense_get(regs: &[u8], i: usize) -> u8 {
    let byte = i * BITS / 8;
    let fb = (i * BITS) & 7;
    let b0 = regs.get(byte).copied().unwrap_or(0) as u16;
    let b1 = regs.get(byte + 1).copied().unwrap_or(0) as u16;
    (((b0 >> fb) | (b1 << (8 - fb))) & REGISTER_MAX as u16) as u8
}

fn dense_put(regs: &mut [u8], i: usize, val: u8) {
    let byte = i * BITS / 8;
    let fb = (i * BITS) & 7;
    let v = val as u16;
    if let Some(b) = regs.get_mut(byte) {
        *b &= !((REGISTER_MAX as u16) << fb) as u8;
        *b |= (v << fb) as u8;
    }
    if let Some(b) = regs.get_mut(byte + 1) {
        *b &= !((REGISTER_MAX as u16) >> (8 - fb)) as u8;
        *b |= (v >> (8 - fb)) as u8;
    }
}

/// Raises register `i` to `count`; true if it was lower.
fn dense_set(regs: &mut [u8], i: usize, count: u8) -> bool {
    if count > dense_get(regs, i) {
        dense_put(regs, i, count);
        true
    } else {
        false
    }
}

// ---- sparse --------------------------------------------------------------

/// One sparse opcode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    Zero(usize),
    XZero(usize),
    Val(u8, usize),
}

impl Op {
    /// The opcode at `p` (its second byte past the end reads 0).
    fn at(s: &[u8], p: usize) -> Op {
        let b = s[p];
        if b & 0xc0 == 0 {
            Op::Zero((b & 0x3f) as usize + 1)
        } else if b & 0x80 == 0 {
            let low = s.get(p + 1).copied().unwrap_or(0) as usize;
            Op::XZero(((b as usize & 0x3f) << 8 | low) + 1)
        } else {
            Op::Val(((b >> 2) & 0x1f) + 1, (b & 3) as usize + 1)
        }
    }

    fn span(self) -> usize {
        match self {
            Op::Zero(n) | Op::XZero(n) | Op::Val(_, n) => n,
        }
    }

    fn bytes(self) -> usize {
        match self {
            Op::XZero(_) => 2,
            _ => 1,
        }
    }
}

fn val_byte(val: u8, len: usize) -> u8 {
    0x80 | (val - 1) << 2 | (len as u8 - 1)
}

fn push_xzero(s: &mut Vec<u8>, len: usize) {
    let l = len - 1;
    s.push((l >> 8) as u8 | 0x40);
    s.push((l & 0xff) as u8);
}

/// A run of `len` zero registers: ZERO up to 64, XZERO beyond.
fn push_zeros(s: &mut Vec<u8>, len: usize) {
    if len > ZERO_MAX_LEN {
        push_xzero(s, len);
    } else {
        s.push((len - 1) as u8);
    }
}

/// Calls `f(first_register, op)` for each opcode after the header.
fn for_each_op(s: &[u8], mut f: impl FnMut(usize, Op) -> bool) {
    let mut p = HDR_SIZE;
    let mut idx = 0;
    while p < s.len() {
        let op = Op::at(s, p);
        if !f(idx, op) {
            return;
        }
        // Saturating: a long malformed string cannot wrap the count.
        idx = idx.saturating_add(op.span()).min(usize::MAX / 2);
        p += op.bytes();
    }
}

/// The sparse registers unpacked (Redis's `hllMerge` and
/// `hllSparseToDense`): valid only if the opcodes cover exactly 16384
/// registers (redis-server 7.0.15 refuses a run past the end, even a VAL
/// after the last register).
fn sparse_walk(s: &[u8], mut put: impl FnMut(usize, u8)) -> Result<(), Corrupt> {
    let mut covered = 0usize;
    for_each_op(s, |first, op| {
        if let Op::Val(v, n) = op {
            (first..(first + n).min(REGISTERS)).for_each(|i| put(i, v));
        }
        covered = first + op.span();
        true
    });
    if covered == REGISTERS {
        Ok(())
    } else {
        Err(Corrupt)
    }
}

/// The dense form of a sparse HLL (Redis's `hllSparseToDense`): the
/// header is kept, cached cardinality included.
pub fn sparse_to_dense(s: &[u8]) -> Result<Vec<u8>, Corrupt> {
    let mut dense = vec![0; DENSE_SIZE];
    dense[..HDR_SIZE].copy_from_slice(&s[..HDR_SIZE]);
    dense[4] = DENSE;
    let regs = &mut dense[HDR_SIZE..];
    sparse_walk(s, |i, v| dense_put(regs, i, v))?;
    Ok(dense)
}

/// Raises register `index` of a sparse HLL to `count` (Redis's
/// `hllSparseSet`), turning it dense when needed. `Ok(true)` if the
/// register changed.
fn sparse_set(s: &mut Vec<u8>, index: usize, count: u8) -> Result<bool, Corrupt> {
    if count > VAL_MAX_VALUE {
        return promote(s, index, count);
    }
    // Step 1: find the opcode covering the register.
    let end = s.len();
    let (mut p, mut first, mut prev, mut op) = (HDR_SIZE, 0usize, None, None);
    while p < end {
        let o = Op::at(s, p);
        op = Some(o);
        if index < first + o.span() {
            break;
        }
        prev = Some(p);
        p += o.bytes();
        first = first.saturating_add(o.span()).min(usize::MAX / 2);
    }
    let op = match op {
        Some(op) if p < end => op,
        _ => return Err(Corrupt),
    };
    let next = p + op.bytes();
    let next = (next < end).then_some(next);

    // Step 2: the trivial updates in place, or the sequence replacing the
    // opcode.
    let in_place = match op {
        Op::Val(old, _) if old >= count => return Ok(false),
        Op::Val(_, 1) | Op::Zero(1) => true,
        _ => false,
    };
    if in_place {
        s[p] = val_byte(count, 1);
    } else {
        let last = first + op.span() - 1;
        let mut seq = Vec::with_capacity(5);
        match op {
            Op::Val(cur, _) => {
                if index != first {
                    seq.push(val_byte(cur, index - first));
                }
                seq.push(val_byte(count, 1));
                if index != last {
                    seq.push(val_byte(cur, last - index));
                }
            }
            _ => {
                if index != first {
                    push_zeros(&mut seq, index - first);
                }
                seq.push(val_byte(count, 1));
                if index != last {
                    push_zeros(&mut seq, last - index);
                }
            }
        }
        // Step 3: put the sequence in place of the opcode.
        let new_len = end + seq.len() - op.bytes();
        if seq.len() > op.bytes() && new_len > SPARSE_MAX_BYTES {
            return promote(s, index, count);
        }
        match next {
            Some(next) => {
                s.splice(p..next, seq);
            }
            // The last opcode. An XZERO cut by the end of the string
            // (malformed) makes the new sequence one byte longer than the
            // new length: that byte is dropped. Redis leaves it in memory
            // past the string's end, where a later read of an opcode cut
            // the same way would see it; here such a read sees 0, as it
            // would see the `sds` terminator.
            None => {
                s.truncate(p);
                s.extend_from_slice(&seq);
                s.truncate(new_len);
            }
        }
    }

    // Step 4: merge adjacent VAL opcodes of equal value, scanning up to 5
    // opcodes from the one before the change.
    let mut p = prev.unwrap_or(HDR_SIZE);
    let mut scan = 5;
    while p < s.len() && scan > 0 {
        scan -= 1;
        match Op::at(s, p) {
            Op::XZero(_) => p += 2,
            Op::Zero(_) => p += 1,
            Op::Val(v1, l1) => {
                if let Some(Op::Val(v2, l2)) = (p + 1 < s.len()).then(|| Op::at(s, p + 1)) {
                    if v1 == v2 && l1 + l2 <= VAL_MAX_LEN {
                        s[p + 1] = val_byte(v1, l1 + l2);
                        s.remove(p);
                        continue;
                    }
                }
                p += 1;
            }
        }
    }
    invalidate_cache(s);
    Ok(true)
}

/// Sparse to dense, then the register set on the dense form. The cached
/// cardinality is left as it was (the caller marks it stale).
fn promote(s: &mut Vec<u8>, index: usize, count: u8) -> Result<bool, Corrupt> {
    *s = sparse_to_dense(s)?;
    Ok(dense_set(&mut s[HDR_SIZE..], index, count))
}

// ---- the operations the commands use --------------------------------------

/// Raises register `index` to `count` in either encoding (a valid HLL, see
/// [`is_valid`]). `Ok(true)` if it changed.
pub fn set_register(s: &mut Vec<u8>, index: usize, count: u8) -> Result<bool, Corrupt> {
    if is_sparse(s) {
        sparse_set(s, index, count)
    } else {
        Ok(dense_set(&mut s[HDR_SIZE..], index, count))
    }
}

/// Adds an element (Redis's `hllAdd`): `Ok(true)` if a register grew.
pub fn add(s: &mut Vec<u8>, element: &[u8]) -> Result<bool, Corrupt> {
    let (index, count) = pattern(element);
    set_register(s, index, count)
}

/// Folds an HLL's registers into `max` (one byte per register) by
/// maximum: Redis's `hllMerge`.
pub fn merge_into(max: &mut [u8; REGISTERS], s: &[u8]) -> Result<(), Corrupt> {
    if is_sparse(s) {
        sparse_walk(s, |i, v| max[i] = max[i].max(v))
    } else {
        let regs = &s[HDR_SIZE..];
        for (i, m) in max.iter_mut().enumerate() {
            *m = (*m).max(dense_get(regs, i));
        }
        Ok(())
    }
}

/// The registers of a valid HLL, one byte each (PFDEBUG GETREG after its
/// conversion).
pub fn registers(s: &[u8]) -> Result<Vec<u8>, Corrupt> {
    let mut max = [0; REGISTERS];
    merge_into(&mut max, s)?;
    Ok(max.to_vec())
}

/// The estimated cardinality of a valid HLL, ignoring the cache (Redis's
/// `hllCount`). A sparse HLL whose opcodes do not cover 16384 registers
/// is corrupt.
pub fn count(s: &[u8]) -> Result<u64, Corrupt> {
    let mut histo = [0u64; 64];
    if is_sparse(s) {
        let mut idx = 0;
        for_each_op(s, |_, op| {
            let bucket = match op {
                Op::Val(v, _) => v as usize,
                _ => 0,
            };
            histo[bucket] += op.span() as u64;
            idx += op.span();
            true
        });
        if idx != REGISTERS {
            return Err(Corrupt);
        }
    } else {
        let regs = &s[HDR_SIZE..];
        (0..REGISTERS).for_each(|i| histo[dense_get(regs, i) as usize] += 1);
    }
    Ok(estimate(&histo))
}

/// The cardinality of registers held one per byte (PFCOUNT of several
/// keys).
pub fn count_raw(max: &[u8; REGISTERS]) -> u64 {
    let mut histo = [0u64; 64];
    max.iter().for_each(|&r| histo[r as usize & 63] += 1);
    estimate(&histo)
}

/// Ertl's estimator ("New cardinality estimation algorithms for
/// HyperLogLog sketches", arXiv:1702.01284) from the histogram of register
/// values, in the same floating-point steps as Redis.
fn estimate(histo: &[u64; 64]) -> u64 {
    let m = REGISTERS as f64;
    let mut z = m * tau((m - histo[Q + 1] as f64) / m);
    for j in (1..=Q).rev() {
        z += histo[j] as f64;
        z *= 0.5;
    }
    z += m * sigma(histo[0] as f64 / m);
    llround(ALPHA_INF * m * m / z) as u64
}

/// C's `llroundl` on x86-64: halves away from zero; out of range (an
/// infinite estimate from registers no hash can produce) gives
/// `LLONG_MIN`.
fn llround(x: f64) -> i64 {
    let r = x.round();
    let limit = (1u64 << 63) as f64;
    if r.is_nan() || r >= limit || r < -limit {
        i64::MIN
    } else {
        r as i64
    }
}

fn sigma(mut x: f64) -> f64 {
    if x == 1.0 {
        return f64::INFINITY;
    }
    let mut y = 1.0;
    let mut z = x;
    loop {
        x *= x;
        let before = z;
        z += x * y;
        y += y;
        // `!=` as C's loop: NaN stops it too.
        if before == z || before.is_nan() && z.is_nan() {
            return z;
        }
    }
}

fn tau(mut x: f64) -> f64 {
    if x == 0.0 || x == 1.0 {
        return 0.0;
    }
    let mut y = 1.0;
    let mut z = 1.0 - x;
    loop {
        x = x.sqrt();
        let before = z;
        y *= 0.5;
        let d = 1.0 - x;
        z -= d * d * y;
        if before == z || before.is_nan() && z.is_nan() {
            return z / 3.0;
        }
    }
}

/// PFDEBUG DECODE: the sparse opcodes as `z:N`, `Z:N`, `v:V,N`.
pub fn decode(s: &[u8]) -> String {
    let mut out = Vec::new();
    for_each_op(s, |_, op| {
        out.push(match op {
            Op::Zero(n) => format!("z:{n}"),
            Op::XZero(n) => format!("Z:{n}"),
            Op::Val(v, n) => format!("v:{v},{n}"),
        });
        true
    });
    out.join(" ")
}

#[cfg(test)]
#[path = "hll_tests.rs"]
mod tests;
