//! String commands (Redis's `t_string.c`): GET SET and their variants,
//! MGET MSET, APPEND STRLEN GETRANGE SETRANGE, the integer counters and
//! INCRBYFLOAT. Number syntax and formatting live in [`super::num`].

use std::mem;

use super::num::{self, LongDouble};
use super::{c_str, errors, Call, Handler};
use crate::engine::Engine;
use crate::reply::Reply;
use crate::value::Value;

pub const HANDLERS: &[(&str, Handler)] = &[
    ("append", append),
    ("decr", decr),
    ("decrby", decrby),
    ("get", get),
    ("getdel", getdel),
    ("getex", getex),
    ("getrange", getrange),
    ("getset", getset),
    ("incr", incr),
    ("incrby", incrby),
    ("incrbyfloat", incrbyfloat),
    ("mget", mget),
    ("mset", mset),
    ("msetnx", msetnx),
    ("psetex", psetex),
    ("set", set),
    ("setex", setex),
    ("setnx", setnx),
    ("setrange", setrange),
    ("strlen", strlen),
];

/// Redis's default `proto-max-bulk-len`: no string may grow past 512 MB.
const PROTO_MAX_BULK_LEN: u64 = 512 * 1024 * 1024;

/// How an expiry option reads its number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ExpireUnit {
    /// Seconds from now.
    Ex,
    /// Milliseconds from now.
    Px,
    /// A Unix time in seconds.
    ExAt,
    /// A Unix time in milliseconds.
    PxAt,
}

/// Which command's options are read: SET takes NX XX GET KEEPTTL, GETEX
/// takes PERSIST; both take the four expiry options.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Flavor {
    Set,
    GetEx,
}

/// The options of SET and GETEX (Redis's `parseExtendedStringArgumentsOrReply`).
#[derive(Clone, Copy, Debug, Default)]
struct Options {
    nx: bool,
    xx: bool,
    get: bool,
    keep_ttl: bool,
    persist: bool,
    /// The expiry option and the index of its number in argv.
    expire: Option<(ExpireUnit, usize)>,
}

/// Reads options from `argv[first..]`. Conflicting options (NX with XX,
/// two different expiry options, KEEPTTL or PERSIST with an expiry), an
/// expiry option with no number after it, and unknown words are all
/// `ERR syntax error`; a repeated option is allowed, the last number wins.
fn parse_options(argv: &[Vec<u8>], first: usize, flavor: Flavor) -> Result<Options, Reply> {
    let mut o = Options::default();
    let set = flavor == Flavor::Set;
    let mut j = first;
    while j < argv.len() {
        let opt = c_str(&argv[j]);
        let has_next = j + 1 < argv.len();
        let is = |name: &str| opt.eq_ignore_ascii_case(name.as_bytes());
        let unit = [
            ("ex", ExpireUnit::Ex),
            ("px", ExpireUnit::Px),
            ("exat", ExpireUnit::ExAt),
            ("pxat", ExpireUnit::PxAt),
        ]
        .into_iter()
        .find(|(name, _)| is(name))
        .map(|(_, unit)| unit);
        if is("nx") && set && !o.xx {
            o.nx = true;
        } else if is("xx") && set && !o.nx {
            o.xx = true;
        } else if is("get") && set {
            o.get = true;
        } else if is("keepttl") && set && !o.persist && o.expire.is_none() {
            o.keep_ttl = true;
        } else if is("persist") && !set && o.expire.is_none() && !o.keep_ttl {
            o.persist = true;
        } else if let Some(unit) = unit.filter(|&u| {
            has_next && !o.keep_ttl && !o.persist && o.expire.is_none_or(|(e, _)| e == u)
        }) {
            o.expire = Some((unit, j + 1));
            j += 1;
        } else {
            return Err(errors::syntax());
        }
        j += 1;
    }
    Ok(o)
}

/// The absolute expiry time in ms an option asks for (Redis's
/// `getExpireMillisecondsOrReply`): a positive integer, whose conversion
/// to an absolute time in ms must not overflow.
fn expire_at(arg: &[u8], unit: ExpireUnit, now: u64, command: &str) -> Result<u64, Reply> {
    let n = num::parse_i64(arg).ok_or_else(errors::not_integer)?;
    let seconds = matches!(unit, ExpireUnit::Ex | ExpireUnit::ExAt);
    if n <= 0 || (seconds && n > i64::MAX / 1000) {
        return Err(errors::invalid_expire(command));
    }
    let ms = if seconds { n * 1000 } else { n };
    let at = match unit {
        ExpireUnit::Ex | ExpireUnit::Px => ms.checked_add(i64::try_from(now).unwrap_or(i64::MAX)),
        ExpireUnit::ExAt | ExpireUnit::PxAt => Some(ms),
    };
    match at {
        Some(at) if at > 0 => Ok(at as u64),
        _ => Err(errors::invalid_expire(command)),
    }
}

fn bulk_or_nil(value: Option<Vec<u8>>) -> Reply {
    value.map_or(Reply::Nil, Reply::Bulk)
}

fn get(e: &mut Engine, call: &mut Call) -> Reply {
    let mut ks = e.keyspace(call.client);
    match ks.get_str(call.arg(1)) {
        Ok(Some(v)) => Reply::Bulk(v.clone()),
        Ok(None) => Reply::Nil,
        Err(err) => err,
    }
}

fn set(e: &mut Engine, call: &mut Call) -> Reply {
    match parse_options(&call.argv, 3, Flavor::Set) {
        Ok(opts) => set_generic(e, call, opts, 2, "set", Reply::ok(), Reply::Nil),
        Err(err) => err,
    }
}

fn setnx(e: &mut Engine, call: &mut Call) -> Reply {
    let opts = Options {
        nx: true,
        ..Options::default()
    };
    set_generic(
        e,
        call,
        opts,
        2,
        "setnx",
        Reply::Integer(1),
        Reply::Integer(0),
    )
}

fn setex(e: &mut Engine, call: &mut Call) -> Reply {
    let opts = Options {
        expire: Some((ExpireUnit::Ex, 2)),
        ..Options::default()
    };
    set_generic(e, call, opts, 3, "setex", Reply::ok(), Reply::Nil)
}

fn psetex(e: &mut Engine, call: &mut Call) -> Reply {
    let opts = Options {
        expire: Some((ExpireUnit::Px, 2)),
        ..Options::default()
    };
    set_generic(e, call, opts, 3, "psetex", Reply::ok(), Reply::Nil)
}

/// Redis's `setGenericCommand`: the expiry is checked first, then GET's
/// type check, then NX/XX. With GET the reply is the old value whether or
/// not the write happened; without it, `ok` or `abort`.
fn set_generic(
    e: &mut Engine,
    call: &mut Call,
    opts: Options,
    value_at: usize,
    command: &'static str,
    ok: Reply,
    abort: Reply,
) -> Reply {
    let at = match opts.expire {
        Some((unit, i)) => match expire_at(call.arg(i), unit, e.now, command) {
            Ok(at) => Some(at),
            Err(err) => return err,
        },
        None => None,
    };
    // The argument vector is spent once the command runs: move the value.
    let value = Value::Str(mem::take(&mut call.argv[value_at]));
    let key = call.arg(1);
    let mut ks = e.keyspace(call.client);
    let old = if opts.get {
        match ks.get_str(key) {
            Ok(old) => Some(old.cloned()),
            Err(err) => return err,
        }
    } else {
        None
    };
    if opts.nx || opts.xx {
        let found = match &old {
            Some(old) => old.is_some(),
            None => ks.exists(key),
        };
        if (opts.nx && found) || (opts.xx && !found) {
            return old.map_or(abort, bulk_or_nil);
        }
    }
    match at {
        // A time already past: the key is written and at once gone.
        Some(at) if at <= ks.now => {
            ks.set(key, value, command);
            ks.delete(key);
        }
        // Overwriting keeps the key's slot in the expiry index, which is
        // then updated in place rather than dropped and re-added.
        Some(at) => {
            ks.db.set_keep_ttl(key, value);
            ks.db.set_expire(key, at);
            ks.written(key, command);
        }
        None if opts.keep_ttl => ks.set_keep_ttl(key, value, command),
        None => ks.set(key, value, command),
    }
    old.map_or(ok, bulk_or_nil)
}

fn getex(e: &mut Engine, call: &mut Call) -> Reply {
    let opts = match parse_options(&call.argv, 2, Flavor::GetEx) {
        Ok(opts) => opts,
        Err(err) => return err,
    };
    let now = e.now;
    let key = call.arg(1);
    let mut ks = e.keyspace(call.client);
    let value = match ks.get_str(key) {
        Ok(Some(v)) => v.clone(),
        Ok(None) => return Reply::Nil,
        Err(err) => return err,
    };
    if let Some((unit, i)) = opts.expire {
        match expire_at(call.arg(i), unit, now, "getex") {
            // A past EXAT/PXAT deletes the key (EX/PX are always ahead).
            Ok(at) => ks.set_expire(key, at, "getex"),
            Err(err) => return err,
        }
    } else if opts.persist {
        ks.persist(key, "getex");
    }
    Reply::Bulk(value)
}

fn getdel(e: &mut Engine, call: &mut Call) -> Reply {
    let key = call.arg(1);
    let mut ks = e.keyspace(call.client);
    match ks.get_str(key) {
        Ok(Some(_)) => match ks.take(key) {
            Some((Value::Str(v), _)) => Reply::Bulk(v),
            _ => Reply::Nil,
        },
        Ok(None) => Reply::Nil,
        Err(err) => err,
    }
}

/// Replaces the value and drops the TTL, answering the old value.
fn getset(e: &mut Engine, call: &mut Call) -> Reply {
    let mut value = mem::take(&mut call.argv[2]);
    let key = call.arg(1);
    let mut ks = e.keyspace(call.client);
    let old = match ks.get_mut(key) {
        None => None,
        Some(Value::Str(s)) => Some(mem::replace(s, mem::take(&mut value))),
        #[allow(unreachable_patterns)]
        Some(_) => return errors::wrongtype(),
    };
    match old {
        Some(old) => {
            ks.db.persist(key);
            ks.written(key, "getset");
            Reply::Bulk(old)
        }
        None => {
            ks.set(key, Value::Str(value), "getset");
            Reply::Nil
        }
    }
}

fn mget(e: &mut Engine, call: &mut Call) -> Reply {
    let mut ks = e.keyspace(call.client);
    let values = call.args().iter().map(|key| match ks.get(key) {
        Some(Value::Str(s)) => Reply::Bulk(s.clone()),
        // MGET answers nil for a key of another type rather than an error.
        _ => Reply::Nil,
    });
    Reply::Array(values.collect())
}

fn mset(e: &mut Engine, call: &mut Call) -> Reply {
    mset_generic(e, call, "mset")
}

fn msetnx(e: &mut Engine, call: &mut Call) -> Reply {
    mset_generic(e, call, "msetnx")
}

fn mset_generic(e: &mut Engine, call: &mut Call, command: &'static str) -> Reply {
    if call.argv.len().is_multiple_of(2) {
        return errors::wrong_arity(command);
    }
    let nx = command == "msetnx";
    let mut ks = e.keyspace(call.client);
    if nx && call.argv[1..].chunks(2).any(|pair| ks.exists(&pair[0])) {
        return Reply::Integer(0);
    }
    for pair in call.argv[1..].chunks_exact_mut(2) {
        let value = mem::take(&mut pair[1]);
        ks.set(&pair[0], Value::Str(value), command);
    }
    if nx {
        Reply::Integer(1)
    } else {
        Reply::ok()
    }
}

fn strlen(e: &mut Engine, call: &mut Call) -> Reply {
    let mut ks = e.keyspace(call.client);
    match ks.get_str(call.arg(1)) {
        Ok(Some(v)) => Reply::Integer(v.len() as i64),
        Ok(None) => Reply::Integer(0),
        Err(err) => err,
    }
}

/// Fails as Redis's `checkStringLength` does when a string would pass
/// `proto-max-bulk-len`.
fn check_length(size: u64, append: u64) -> Result<(), Reply> {
    if size.saturating_add(append) > PROTO_MAX_BULK_LEN {
        return Err(errors::string_too_long());
    }
    Ok(())
}

/// Grows `s` to `len` bytes with zeros, refusing politely rather than
/// aborting when the host has no memory for it.
fn grow_zeroed(s: &mut Vec<u8>, len: usize) -> Result<(), Reply> {
    if len > s.len() {
        s.try_reserve_exact(len - s.len())
            .map_err(|_| errors::out_of_memory())?;
        s.resize(len, 0);
    }
    Ok(())
}

fn append(e: &mut Engine, call: &mut Call) -> Reply {
    let key = call.arg(1);
    let tail = call.arg(2);
    let mut ks = e.keyspace(call.client);
    let len = match ks.get_mut(key) {
        Some(Value::Str(s)) => {
            if let Err(err) = check_length(s.len() as u64, tail.len() as u64) {
                return err;
            }
            if s.try_reserve(tail.len()).is_err() {
                return errors::out_of_memory();
            }
            s.extend_from_slice(tail);
            Some(s.len())
        }
        None => None,
        #[allow(unreachable_patterns)]
        Some(_) => return errors::wrongtype(),
    };
    match len {
        Some(len) => {
            ks.written(key, "append");
            Reply::Integer(len as i64)
        }
        // A missing key is created, even with an empty string.
        None => {
            ks.set(key, Value::Str(tail.to_vec()), "append");
            Reply::Integer(tail.len() as i64)
        }
    }
}

fn setrange(e: &mut Engine, call: &mut Call) -> Reply {
    let Some(offset) = num::parse_i64(call.arg(2)) else {
        return errors::not_integer();
    };
    if offset < 0 {
        return errors::offset_out_of_range();
    }
    let key = call.arg(1);
    let patch = call.arg(3);
    let mut ks = e.keyspace(call.client);
    let updated = match ks.get_mut(key) {
        Some(Value::Str(s)) => {
            if patch.is_empty() {
                return Reply::Integer(s.len() as i64);
            }
            match write_at(s, offset as u64, patch) {
                Ok(()) => Some(s.len()),
                Err(err) => return err,
            }
        }
        None => None,
        #[allow(unreachable_patterns)]
        Some(_) => return errors::wrongtype(),
    };
    if let Some(len) = updated {
        ks.written(key, "setrange");
        return Reply::Integer(len as i64);
    }
    // Writing nothing on a missing key creates nothing.
    if patch.is_empty() {
        return Reply::Integer(0);
    }
    let mut s = Vec::new();
    if let Err(err) = write_at(&mut s, offset as u64, patch) {
        return err;
    }
    let len = s.len() as i64;
    ks.set(key, Value::Str(s), "setrange");
    Reply::Integer(len)
}

/// Copies `patch` into `s` at `offset`, zero-filling any gap.
fn write_at(s: &mut Vec<u8>, offset: u64, patch: &[u8]) -> Result<(), Reply> {
    check_length(offset, patch.len() as u64)?;
    // Within 512 MB, so these fit a usize on every target.
    let start = offset as usize;
    let end = start + patch.len();
    grow_zeroed(s, end)?;
    s[start..end].copy_from_slice(patch);
    Ok(())
}

/// Redis's GETRANGE, quirks included: negative indexes count from the end
/// and are clamped to 0, so `GETRANGE k -100 -50` on a short string gives
/// its first byte; `end` is clamped to the last byte.
fn getrange(e: &mut Engine, call: &mut Call) -> Reply {
    let (Some(mut start), Some(mut end)) =
        (num::parse_i64(call.arg(2)), num::parse_i64(call.arg(3)))
    else {
        return errors::not_integer();
    };
    let mut ks = e.keyspace(call.client);
    let s = match ks.get_str(call.arg(1)) {
        Ok(Some(s)) => s,
        Ok(None) => return Reply::Bulk(Vec::new()),
        Err(err) => return err,
    };
    let len = s.len() as i64;
    if start < 0 && end < 0 && start > end {
        return Reply::Bulk(Vec::new());
    }
    if start < 0 {
        start += len;
    }
    if end < 0 {
        end += len;
    }
    start = start.max(0);
    end = end.max(0).min(len - 1);
    if start > end || len == 0 {
        return Reply::Bulk(Vec::new());
    }
    Reply::Bulk(s[start as usize..=end as usize].to_vec())
}

fn incr(e: &mut Engine, call: &mut Call) -> Reply {
    incr_by(e, call, 1, "incr")
}

fn decr(e: &mut Engine, call: &mut Call) -> Reply {
    incr_by(e, call, -1, "decr")
}

fn incrby(e: &mut Engine, call: &mut Call) -> Reply {
    match num::parse_i64(call.arg(2)) {
        Some(by) => incr_by(e, call, by, "incrby"),
        None => errors::not_integer(),
    }
}

fn decrby(e: &mut Engine, call: &mut Call) -> Reply {
    match num::parse_i64(call.arg(2)) {
        // Negating i64::MIN would overflow.
        Some(i64::MIN) => errors::decrement_overflow(),
        Some(by) => incr_by(e, call, -by, "decrby"),
        None => errors::not_integer(),
    }
}

/// Adds `by` to the integer at the key (0 if missing), rewriting the
/// string in place so its buffer and TTL stay.
fn incr_by(e: &mut Engine, call: &mut Call, by: i64, command: &'static str) -> Reply {
    let key = call.arg(1);
    let mut ks = e.keyspace(call.client);
    let updated = match ks.get_mut(key) {
        Some(Value::Str(s)) => {
            let Some(old) = num::parse_i64(s) else {
                return errors::not_integer();
            };
            let Some(new) = old.checked_add(by) else {
                return errors::overflow();
            };
            s.clear();
            num::write_i64(s, new);
            Some(new)
        }
        None => None,
        #[allow(unreachable_patterns)]
        Some(_) => return errors::wrongtype(),
    };
    match updated {
        Some(new) => {
            ks.written(key, command);
            Reply::Integer(new)
        }
        None => {
            ks.set(key, Value::Str(num::i64_bytes(by)), command);
            Reply::Integer(by)
        }
    }
}

/// INCRBYFLOAT computes in 80-bit extended precision and stores the sum
/// as `%.17Lf` without trailing zeros, as Redis on x86-64 does.
fn incrbyfloat(e: &mut Engine, call: &mut Call) -> Reply {
    let key = call.arg(1);
    let mut ks = e.keyspace(call.client);
    let current = match ks.get_mut(key) {
        Some(Value::Str(s)) => match LongDouble::parse(s) {
            Some(v) => v,
            None => return errors::not_float(),
        },
        None => LongDouble::ZERO,
        #[allow(unreachable_patterns)]
        Some(_) => return errors::wrongtype(),
    };
    let Some(incr) = LongDouble::parse(call.arg(2)) else {
        return errors::not_float();
    };
    let sum = current + incr;
    if !sum.is_finite() {
        return errors::nan_or_infinity();
    }
    let text = sum.to_human().into_bytes();
    // A missing key has no TTL, so keeping it is right in both cases.
    ks.set_keep_ttl(key, Value::Str(text.clone()), "incrbyfloat");
    Reply::Bulk(text)
}

#[cfg(test)]
#[path = "strings_tests.rs"]
mod tests;
