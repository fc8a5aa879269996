//! Bitmap commands (Redis's `bitops.c`): SETBIT GETBIT BITCOUNT BITPOS
//! BITOP BITFIELD BITFIELD_RO. Bitmaps are strings: bit 0 is the most
//! significant bit of the first byte, and a write past the end grows the
//! string with zero bytes.

use super::num;
use super::{arg_is as is, c_str, errors, Call, Handler, Keyspace};
use crate::engine::Engine;
use crate::reply::Reply;
use crate::value::Value;

pub const HANDLERS: &[(&str, Handler)] = &[
    ("bitcount", bitcount),
    ("bitfield", bitfield),
    ("bitfield_ro", bitfield_ro),
    ("bitop", bitop),
    ("bitpos", bitpos),
    ("getbit", getbit),
    ("setbit", setbit),
];

/// Redis's default `proto-max-bulk-len`: a bit offset must address a byte
/// below 512 MB.
const PROTO_MAX_BULK_LEN: i64 = 512 * 1024 * 1024;

fn bad_offset() -> Reply {
    Reply::error("ERR bit offset is not an integer or out of range")
}

fn bad_bit() -> Reply {
    Reply::error("ERR bit is not an integer or out of range")
}

fn bad_type() -> Reply {
    Reply::error(
        "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.",
    )
}

/// Redis's `getBitOffsetFromArgument`: a non-negative integer whose byte
/// is below `proto-max-bulk-len`. With `bits` (BITFIELD), `#N` means
/// `N * bits` (multiplied as C does, wrapping).
fn bit_offset(arg: &[u8], bits: Option<u32>) -> Result<u64, Reply> {
    let (digits, scale) = match (arg.first(), bits) {
        (Some(b'#'), Some(bits)) => (&arg[1..], bits as i64),
        _ => (arg, 1),
    };
    let offset = num::parse_i64(digits)
        .ok_or_else(bad_offset)?
        .wrapping_mul(scale);
    if offset < 0 || (offset >> 3) >= PROTO_MAX_BULK_LEN {
        return Err(bad_offset());
    }
    Ok(offset as u64)
}

/// The bit at `offset` (0 past the end of the string).
fn bit_at(s: &[u8], offset: u64) -> u8 {
    let byte = s.get((offset >> 3) as usize).copied().unwrap_or(0);
    (byte >> (7 - (offset & 7))) & 1
}

/// Sets the bit at `offset`, which the caller has made room for.
fn set_bit_at(s: &mut [u8], offset: u64, on: bool) {
    if let Some(byte) = s.get_mut((offset >> 3) as usize) {
        let mask = 1u8 << (7 - (offset & 7));
        if on {
            *byte |= mask;
        } else {
            *byte &= !mask;
        }
    }
}

/// Redis's `lookupStringForBitCommand`: the string at `key`, created or
/// grown with zero bytes so that bit `max_bit` exists. The host refusing
/// the memory is an OOM error rather than an abort.
fn string_for_bits<'a>(
    ks: &'a mut Keyspace<'_>,
    key: &[u8],
    max_bit: u64,
) -> Result<&'a mut Vec<u8>, Reply> {
    // Offsets are checked against 512 MB, so this fits a usize.
    let len = (max_bit >> 3) as usize + 1;
    let grow = |s: &mut Vec<u8>| -> Result<(), Reply> {
        if len > s.len() {
            s.try_reserve_exact(len - s.len())
                .map_err(|_| errors::out_of_memory())?;
            s.resize(len, 0);
        }
        Ok(())
    };
    match ks.get_mut(key) {
        Some(Value::Str(s)) => grow(s)?,
        Some(_) => return Err(errors::wrongtype()),
        None => {
            let mut s = Vec::new();
            grow(&mut s)?;
            ks.db.set(key, Value::Str(s));
        }
    }
    match ks.get_mut(key) {
        Some(Value::Str(s)) => Ok(s),
        _ => Err(errors::wrongtype()), // just written: not reached
    }
}

/// SETBIT key offset 0|1: answers the bit's old value. The offset is
/// checked first, then the value, then the key's type.
fn setbit(e: &mut Engine, call: &mut Call) -> Reply {
    let offset = match bit_offset(call.arg(2), None) {
        Ok(offset) => offset,
        Err(err) => return err,
    };
    let on = match num::parse_i64(call.arg(3)) {
        Some(v @ (0 | 1)) => v == 1,
        _ => return bad_bit(),
    };
    let key = call.arg(1);
    let mut ks = e.keyspace(call.client);
    // The length before, without a second access (LFU counts accesses).
    let before = match ks.db.peek(key) {
        Some(Value::Str(s)) if ks.db.is_live(key, ks.now) => Some(s.len()),
        _ => None,
    };
    let (old, grown) = match string_for_bits(&mut ks, key, offset) {
        Ok(s) => {
            let old = bit_at(s, offset);
            set_bit_at(s, offset, on);
            (old, before != Some(s.len()))
        }
        Err(err) => return err,
    };
    // Created, grown or flipped: a write (and a `setbit` notification);
    // otherwise only the string's encoding changes (Redis unshares it).
    if grown || (old == 1) != on {
        ks.written(key, "setbit");
    } else {
        ks.classify(key, "setbit");
    }
    Reply::Integer(old as i64)
}

/// GETBIT key offset: 0 past the end and for a missing key.
fn getbit(e: &mut Engine, call: &mut Call) -> Reply {
    let offset = match bit_offset(call.arg(2), None) {
        Ok(offset) => offset,
        Err(err) => return err,
    };
    let mut ks = e.keyspace(call.client);
    match ks.get_str(call.arg(1)) {
        Ok(Some(s)) => Reply::Integer(bit_at(s, offset) as i64),
        Ok(None) => Reply::Integer(0),
        Err(err) => err,
    }
}

/// A BITCOUNT/BITPOS range turned into bit positions, both included, as
/// Redis converts it: negative indexes count from the end, then both are
/// clamped to the string. `None` when the range is empty.
fn bit_range(len: usize, start: i64, end: i64, in_bits: bool) -> Option<(u64, u64)> {
    let total = if in_bits { len as i64 * 8 } else { len as i64 };
    let fix = |i: i64| if i < 0 { (i + total).max(0) } else { i };
    let (start, end) = (fix(start), fix(end).min(total - 1));
    if start > end {
        return None;
    }
    if in_bits {
        Some((start as u64, end as u64))
    } else {
        Some((start as u64 * 8, end as u64 * 8 + 7))
    }
}

/// Whether a BYTE|BIT argument says BIT; anything else is a syntax error.
fn unit_is_bit(arg: &[u8]) -> Result<bool, Reply> {
    if is(arg, "bit") {
        Ok(true)
    } else if is(arg, "byte") {
        Ok(false)
    } else {
        Err(errors::syntax())
    }
}

/// The set bits of `s` between bit positions `first` and `last`, both
/// included (both within the string).
fn count_bits(s: &[u8], first: u64, last: u64) -> u64 {
    let (a, b) = ((first >> 3) as usize, (last >> 3) as usize);
    let Some(bytes) = s.get(a..=b) else {
        return 0;
    };
    let mut count: u64 = bytes.iter().map(|b| b.count_ones() as u64).sum();
    // Take out the bits of the edge bytes that are outside the range.
    let head = bytes.first().map_or(0, |&b| b & !(0xffu8 >> (first & 7)));
    let tail = bytes.last().map_or(0, |&b| b & (0x7fu8 >> (last & 7)));
    count -= (head.count_ones() + tail.count_ones()) as u64;
    count
}

/// BITCOUNT key [start end [BYTE|BIT]]. A missing key answers 0 before
/// the arguments are read; a range of two negative indexes the wrong way
/// round answers 0 before BYTE|BIT is read.
fn bitcount(e: &mut Engine, call: &mut Call) -> Reply {
    let argc = call.argv.len();
    let mut ks = e.keyspace(call.client);
    let s = match ks.get_str(call.arg(1)) {
        Ok(Some(s)) => s,
        Ok(None) => return Reply::Integer(0),
        Err(err) => return err,
    };
    let range = match argc {
        2 => bit_range(s.len(), 0, -1, false),
        4 | 5 => {
            let (Some(start), Some(end)) =
                (num::parse_i64(call.arg(2)), num::parse_i64(call.arg(3)))
            else {
                return errors::not_integer();
            };
            if start < 0 && end < 0 && start > end {
                return Reply::Integer(0);
            }
            let in_bits = match argc {
                5 => match unit_is_bit(call.arg(4)) {
                    Ok(b) => b,
                    Err(err) => return err,
                },
                _ => false,
            };
            bit_range(s.len(), start, end, in_bits)
        }
        _ => return errors::syntax(),
    };
    let count = range.map_or(0, |(first, last)| count_bits(s, first, last));
    Reply::Integer(count as i64)
}

/// The first bit equal to `bit` between positions `first` and `last`
/// (both within the string), skipping whole bytes that cannot hold it.
fn find_bit(s: &[u8], bit: u8, first: u64, last: u64) -> Option<u64> {
    let skip = if bit == 1 { 0x00 } else { 0xff };
    let mut pos = first;
    while pos <= last {
        if pos & 7 == 0 && pos + 7 <= last && s.get((pos >> 3) as usize) == Some(&skip) {
            pos += 8;
            continue;
        }
        if bit_at(s, pos) == bit {
            return Some(pos);
        }
        pos += 1;
    }
    None
}

/// BITPOS key 0|1 [start [end [BYTE|BIT]]]. A missing key is all zeros:
/// 0 for a clear bit, -1 for a set one. No clear bit in the range
/// answers the first bit after the string, unless an end was given (-1).
fn bitpos(e: &mut Engine, call: &mut Call) -> Reply {
    let bit = match num::parse_i64(call.arg(2)) {
        Some(b @ (0 | 1)) => b as u8,
        Some(_) => return Reply::error("ERR The bit argument must be 1 or 0."),
        None => return errors::not_integer(),
    };
    let argc = call.argv.len();
    let mut ks = e.keyspace(call.client);
    let s = match ks.get_str(call.arg(1)) {
        Ok(Some(s)) => s,
        Ok(None) => return Reply::Integer(if bit == 1 { -1 } else { 0 }),
        Err(err) => return err,
    };
    let end_given = argc >= 5;
    let range = match argc {
        3 => bit_range(s.len(), 0, -1, false),
        4..=6 => {
            let Some(start) = num::parse_i64(call.arg(3)) else {
                return errors::not_integer();
            };
            let in_bits = match argc {
                6 => match unit_is_bit(call.arg(5)) {
                    Ok(b) => b,
                    Err(err) => return err,
                },
                _ => false,
            };
            let end = match argc {
                4 => -1,
                _ => match num::parse_i64(call.arg(4)) {
                    Some(end) => end,
                    None => return errors::not_integer(),
                },
            };
            bit_range(s.len(), start, end, in_bits)
        }
        _ => return errors::syntax(),
    };
    let Some((first, last)) = range else {
        return Reply::Integer(-1);
    };
    match find_bit(s, bit, first, last) {
        Some(pos) => Reply::Integer(pos as i64),
        None if bit == 0 && !end_given => Reply::Integer(last as i64 + 1),
        None => Reply::Integer(-1),
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum BitOp {
    And,
    Or,
    Xor,
    Not,
}

/// BITOP AND|OR|XOR|NOT destkey key...: missing keys are empty strings,
/// shorter strings are padded with zeros; the result is as long as the
/// longest source and replaces the destination (and its TTL). An empty
/// result deletes the destination, whatever it held. Answers the length.
fn bitop(e: &mut Engine, call: &mut Call) -> Reply {
    let op = call.arg(1);
    let op = if is(op, "and") {
        BitOp::And
    } else if is(op, "or") {
        BitOp::Or
    } else if is(op, "xor") {
        BitOp::Xor
    } else if is(op, "not") {
        BitOp::Not
    } else {
        return errors::syntax();
    };
    if op == BitOp::Not && call.argv.len() != 4 {
        return Reply::error("ERR BITOP NOT must be called with a single source key.");
    }
    let mut ks = e.keyspace(call.client);
    // First every source's type and the longest length; missing keys are
    // empty strings.
    let mut max = 0;
    for key in &call.argv[3..] {
        match ks.get_str(key) {
            Ok(s) => max = max.max(s.map_or(0, |s| s.len())),
            Err(err) => return err,
        }
    }
    ks.looked_up();
    // Then each source folded into the result in turn, read as zeros past
    // its end (so the destination may be one of the sources).
    let mut out = Vec::new();
    if out.try_reserve_exact(max).is_err() {
        return errors::out_of_memory();
    }
    out.resize(max, 0);
    for (i, key) in call.argv[3..].iter().enumerate() {
        let Ok(Some(src)) = ks.get_str(key) else {
            // A missing key is zeros: only AND changes the result.
            if op == BitOp::And {
                out.fill(0);
            }
            continue;
        };
        let bytes = src.iter().copied().chain(std::iter::repeat(0));
        for (acc, byte) in out.iter_mut().zip(bytes) {
            *acc = match op {
                BitOp::Not => !byte, // NOT has one source
                _ if i == 0 => byte,
                BitOp::And => *acc & byte,
                BitOp::Or => *acc | byte,
                BitOp::Xor => *acc ^ byte,
            };
        }
    }
    let dest = call.arg(2);
    if max > 0 {
        ks.set(dest, Value::Str(out), "bitop");
    } else {
        ks.delete(dest);
    }
    Reply::Integer(max as i64)
}

/// What BITFIELD does on overflow (OVERFLOW WRAP|SAT|FAIL).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Overflow {
    Wrap,
    Sat,
    Fail,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum FieldOp {
    Get,
    Set,
    IncrBy,
}

/// One parsed BITFIELD operation.
struct Field {
    op: FieldOp,
    signed: bool,
    bits: u32,
    offset: u64,
    value: i64,
    overflow: Overflow,
}

/// Redis's `getBitfieldTypeFromArgument`: `i1`..`i64` or `u1`..`u63`.
fn field_type(arg: &[u8]) -> Result<(bool, u32), Reply> {
    let signed = match arg.first() {
        Some(b'i') => true,
        Some(b'u') => false,
        _ => return Err(bad_type()),
    };
    match num::parse_i64(c_str(&arg[1..])) {
        Some(bits @ 1..=64) if signed || bits <= 63 => Ok((signed, bits as u32)),
        _ => Err(bad_type()),
    }
}

/// Reads `bits` bits from `offset` as an unsigned number (zeros past the
/// end of the string).
fn get_unsigned(s: &[u8], offset: u64, bits: u32) -> u64 {
    (0..bits as u64).fold(0, |v, i| (v << 1) | bit_at(s, offset + i) as u64)
}

/// Reads a two's complement field of `bits` bits.
fn get_signed(s: &[u8], offset: u64, bits: u32) -> i64 {
    let v = get_unsigned(s, offset, bits);
    if bits < 64 && v & (1 << (bits - 1)) != 0 {
        (v | (u64::MAX << bits)) as i64
    } else {
        v as i64
    }
}

/// Writes the low `bits` bits of `value` at `offset`, most significant
/// first.
fn set_field(s: &mut [u8], offset: u64, bits: u32, value: u64) {
    for j in 0..bits as u64 {
        let on = value & (1 << (bits as u64 - 1 - j)) != 0;
        set_bit_at(s, offset + j, on);
    }
}

/// Redis's `checkUnsignedBitfieldOverflow`: whether `value + incr`
/// leaves the field's range, and what WRAP or SAT store instead.
fn unsigned_overflow(value: u64, incr: i64, bits: u32, how: Overflow) -> Option<u64> {
    let max = (1u64 << bits) - 1; // at most 63 bits
    let max_incr = max.wrapping_sub(value) as i64;
    let min_incr = value.wrapping_neg() as i64;
    let wrapped = value.wrapping_add(incr as u64) & max;
    if value > max || (incr > 0 && incr > max_incr) {
        Some(if how == Overflow::Sat { max } else { wrapped })
    } else if incr < 0 && incr < min_incr {
        Some(if how == Overflow::Sat { 0 } else { wrapped })
    } else {
        None
    }
}

/// Redis's `checkSignedBitfieldOverflow`, its wrapping arithmetic
/// included (so SAT of a value below an i8's range can saturate up).
fn signed_overflow(value: i64, incr: i64, bits: u32, how: Overflow) -> Option<i64> {
    let max = if bits == 64 {
        i64::MAX
    } else {
        (1i64 << (bits - 1)) - 1
    };
    let min = -max - 1;
    let max_incr = (max as u64).wrapping_sub(value as u64) as i64;
    let min_incr = min.wrapping_sub(value);
    let wrap = || {
        let c = (value as u64).wrapping_add(incr as u64);
        if bits < 64 {
            let mask = u64::MAX << bits;
            if c & (1 << (bits - 1)) != 0 {
                (c | mask) as i64
            } else {
                (c & !mask) as i64
            }
        } else {
            c as i64
        }
    };
    if value > max || (bits != 64 && incr > max_incr) || (value >= 0 && incr > 0 && incr > max_incr)
    {
        Some(if how == Overflow::Sat { max } else { wrap() })
    } else if value < min
        || (bits != 64 && incr < min_incr)
        || (value < 0 && incr < 0 && incr < min_incr)
    {
        Some(if how == Overflow::Sat { min } else { wrap() })
    } else {
        None
    }
}

/// Parses BITFIELD's operations (Redis's `bitfieldGeneric`): every
/// argument is checked before anything runs.
fn parse_fields(argv: &[Vec<u8>]) -> Result<Vec<Field>, Reply> {
    let mut fields = Vec::new();
    let mut overflow = Overflow::Wrap;
    let mut j = 2;
    while j < argv.len() {
        let rest = argv.len() - j - 1;
        let word = &argv[j];
        let op = if is(word, "get") && rest >= 2 {
            FieldOp::Get
        } else if is(word, "set") && rest >= 3 {
            FieldOp::Set
        } else if is(word, "incrby") && rest >= 3 {
            FieldOp::IncrBy
        } else if is(word, "overflow") && rest >= 1 {
            let how = &argv[j + 1];
            overflow = if is(how, "wrap") {
                Overflow::Wrap
            } else if is(how, "sat") {
                Overflow::Sat
            } else if is(how, "fail") {
                Overflow::Fail
            } else {
                return Err(Reply::error("ERR Invalid OVERFLOW type specified"));
            };
            j += 2;
            continue;
        } else {
            return Err(errors::syntax());
        };
        let (signed, bits) = field_type(&argv[j + 1])?;
        let offset = bit_offset(&argv[j + 2], Some(bits))?;
        let value = match op {
            FieldOp::Get => 0,
            _ => num::parse_i64(&argv[j + 3]).ok_or_else(errors::not_integer)?,
        };
        fields.push(Field {
            op,
            signed,
            bits,
            offset,
            value,
            overflow,
        });
        j += if op == FieldOp::Get { 3 } else { 4 };
    }
    Ok(fields)
}

fn bitfield(e: &mut Engine, call: &mut Call) -> Reply {
    bitfield_generic(e, call, false)
}

fn bitfield_ro(e: &mut Engine, call: &mut Call) -> Reply {
    bitfield_generic(e, call, true)
}

/// BITFIELD key [GET type offset] [SET type offset value] [INCRBY type
/// offset increment] [OVERFLOW WRAP|SAT|FAIL] ...: one reply per GET,
/// SET (the old value) and INCRBY (the new value); nil for a write that
/// OVERFLOW FAIL refused. A write first grows the string to the farthest
/// bit written, even when FAIL then refuses it.
fn bitfield_generic(e: &mut Engine, call: &mut Call, read_only: bool) -> Reply {
    let fields = match parse_fields(&call.argv) {
        Ok(fields) => fields,
        Err(err) => return err,
    };
    let key = call.arg(1);
    let mut ks = e.keyspace(call.client);
    let highest = fields
        .iter()
        .filter(|f| f.op != FieldOp::Get)
        .map(|f| f.offset + f.bits as u64 - 1)
        .max();
    let Some(highest) = highest else {
        // Only reads: a missing key reads as zeros.
        let s = match ks.get_str(key) {
            Ok(s) => s.map_or(&[][..], |s| &s[..]),
            Err(err) => return err,
        };
        return Reply::Array(fields.iter().map(|f| get_field(s, f)).collect());
    };
    if read_only {
        return Reply::error("ERR BITFIELD_RO only supports the GET subcommand");
    }
    let s = match string_for_bits(&mut ks, key, highest) {
        Ok(s) => s,
        Err(err) => return err,
    };
    let replies = fields.iter().map(|f| run_field(s, f)).collect();
    ks.written(key, "bitfield");
    Reply::Array(replies)
}

/// A GET's reply: the field read as its type (zeros past the end).
fn get_field(s: &[u8], f: &Field) -> Reply {
    if f.signed {
        Reply::Integer(get_signed(s, f.offset, f.bits))
    } else {
        Reply::Integer(get_unsigned(s, f.offset, f.bits) as i64)
    }
}

/// Runs one BITFIELD operation on a string long enough for its writes.
fn run_field(s: &mut [u8], f: &Field) -> Reply {
    let (bits, offset) = (f.bits, f.offset);
    if f.op == FieldOp::Get {
        return get_field(s, f);
    }
    let (reply, store, overflowed) = if f.signed {
        let old = get_signed(s, offset, bits);
        if f.op == FieldOp::IncrBy {
            let over = signed_overflow(old, f.value, bits, f.overflow);
            let new = over.unwrap_or(old.wrapping_add(f.value));
            (new, new as u64, over.is_some())
        } else {
            let over = signed_overflow(f.value, 0, bits, f.overflow);
            (old, over.unwrap_or(f.value) as u64, over.is_some())
        }
    } else {
        let old = get_unsigned(s, offset, bits);
        if f.op == FieldOp::IncrBy {
            let over = unsigned_overflow(old, f.value, bits, f.overflow);
            let new = over.unwrap_or(old.wrapping_add(f.value as u64));
            (new as i64, new, over.is_some())
        } else {
            let over = unsigned_overflow(f.value as u64, 0, bits, f.overflow);
            (old as i64, over.unwrap_or(f.value as u64), over.is_some())
        }
    };
    if overflowed && f.overflow == Overflow::Fail {
        return Reply::Nil;
    }
    set_field(s, offset, bits, store);
    Reply::Integer(reply)
}

#[cfg(test)]
#[path = "bitmaps_tests.rs"]
mod tests;
