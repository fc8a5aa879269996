//! Generic key commands (Redis's `db.c` and `expire.c`): DEL UNLINK EXISTS
//! TYPE TOUCH, the expiry family, RENAME RENAMENX, KEYS.
//!
//! Every lookup goes through the [`Keyspace`], which expires a key first
//! if its time has come, so a key past its TTL is absent to all of these.

use super::{errors, glob, num, Call, Handler, Keyspace};
use crate::engine::Engine;
use crate::reply::Reply;

pub const HANDLERS: &[(&str, Handler)] = &[
    ("del", del),
    ("exists", exists),
    ("expire", expire),
    ("expireat", expireat),
    ("expiretime", expiretime),
    ("keys", keys),
    ("persist", persist),
    ("pexpire", pexpire),
    ("pexpireat", pexpireat),
    ("pexpiretime", pexpiretime),
    ("pttl", pttl),
    ("rename", rename),
    ("renamenx", renamenx),
    ("touch", touch),
    ("ttl", ttl),
    ("type", type_),
    ("unlink", unlink),
];

/// DEL and UNLINK: the same here, since there is no background thread to
/// free values on. A key named twice counts once.
fn del(e: &mut Engine, call: &mut Call) -> Reply {
    let mut ks = e.keyspace(call.client);
    let n = call.args().iter().filter(|k| ks.delete(k)).count();
    Reply::Integer(n as i64)
}

fn unlink(e: &mut Engine, call: &mut Call) -> Reply {
    del(e, call)
}

/// EXISTS counts a key once for every time it is named.
fn exists(e: &mut Engine, call: &mut Call) -> Reply {
    let mut ks = e.keyspace(call.client);
    let n = call.args().iter().filter(|k| ks.exists(k)).count();
    Reply::Integer(n as i64)
}

/// TOUCH only updates access times in Redis (which the engine does not
/// keep); what is visible is the count of existing keys and lazy expiry.
fn touch(e: &mut Engine, call: &mut Call) -> Reply {
    exists(e, call)
}

fn type_(e: &mut Engine, call: &mut Call) -> Reply {
    let mut ks = e.keyspace(call.client);
    let name = ks.get(call.arg(1)).map_or("none", |v| v.type_name());
    Reply::Status(name.to_string())
}

/// Whether an expiry command's time argument is relative to now.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Base {
    Now,
    Epoch,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Unit {
    Seconds,
    Millis,
}

/// The NX XX GT LT conditions of EXPIRE and friends.
#[derive(Default)]
struct Conditions {
    nx: bool,
    xx: bool,
    gt: bool,
    lt: bool,
}

impl Conditions {
    /// Redis's `parseExtendedExpireArgumentsOrReply`: any repeat is fine,
    /// unknown words and incompatible pairs are errors, checked before the
    /// time argument is even parsed.
    fn parse(options: &[Vec<u8>]) -> Result<Conditions, Reply> {
        let mut c = Conditions::default();
        for opt in options {
            match opt.to_ascii_lowercase().as_slice() {
                b"nx" => c.nx = true,
                b"xx" => c.xx = true,
                b"gt" => c.gt = true,
                b"lt" => c.lt = true,
                _ => {
                    // `%s` stops at a NUL byte.
                    let end = opt.iter().position(|&b| b == 0).unwrap_or(opt.len());
                    let text = format!(
                        "ERR Unsupported option {}",
                        String::from_utf8_lossy(&opt[..end])
                    );
                    return Err(Reply::Error(errors::sanitize(&text)));
                }
            }
        }
        if c.nx && (c.xx || c.gt || c.lt) {
            return Err(Reply::error(
                "ERR NX and XX, GT or LT options at the same time are not compatible",
            ));
        }
        if c.gt && c.lt {
            return Err(Reply::error(
                "ERR GT and LT options at the same time are not compatible",
            ));
        }
        Ok(c)
    }

    /// Whether a key whose expiry is `current` may get `when`. No expiry
    /// counts as an infinite TTL: GT never beats it, LT always does.
    fn allow(&self, current: Option<i64>, when: i64) -> bool {
        let refused = match current {
            Some(cur) => self.nx || (self.gt && when <= cur) || (self.lt && when >= cur),
            None => self.xx || self.gt,
        };
        !refused
    }
}

fn expire(e: &mut Engine, call: &mut Call) -> Reply {
    expire_generic(e, call, "expire", Base::Now, Unit::Seconds)
}

fn pexpire(e: &mut Engine, call: &mut Call) -> Reply {
    expire_generic(e, call, "pexpire", Base::Now, Unit::Millis)
}

fn expireat(e: &mut Engine, call: &mut Call) -> Reply {
    expire_generic(e, call, "expireat", Base::Epoch, Unit::Seconds)
}

fn pexpireat(e: &mut Engine, call: &mut Call) -> Reply {
    expire_generic(e, call, "pexpireat", Base::Epoch, Unit::Millis)
}

/// Redis's `expireGenericCommand`: options, then the number, then the
/// overflow checks, and only then the key. A time at or before now deletes
/// the key (and still answers 1).
fn expire_generic(
    e: &mut Engine,
    call: &mut Call,
    name: &'static str,
    base: Base,
    unit: Unit,
) -> Reply {
    let conditions = match Conditions::parse(&call.argv[3..]) {
        Ok(c) => c,
        Err(err) => return err,
    };
    let Some(mut when) = num::parse_i64(call.arg(2)) else {
        return errors::not_integer();
    };
    if unit == Unit::Seconds {
        let Some(ms) = when.checked_mul(1000) else {
            return errors::invalid_expire(name);
        };
        when = ms;
    }
    let basetime = match base {
        Base::Now => e.now() as i64,
        Base::Epoch => 0,
    };
    let Some(at) = when.checked_add(basetime) else {
        return errors::invalid_expire(name);
    };
    let key = call.arg(1);
    let mut ks = e.keyspace(call.client);
    if !ks.exists(key) {
        return Reply::Integer(0);
    }
    let current = ks.expire_at(key).map(|at| at as i64);
    if !conditions.allow(current, at) {
        return Reply::Integer(0);
    }
    // A negative time is simply in the past: `set_expire` deletes the key.
    ks.set_expire(key, at.max(0) as u64, name);
    Reply::Integer(1)
}

fn ttl(e: &mut Engine, call: &mut Call) -> Reply {
    ttl_generic(e, call, Unit::Seconds, Base::Now)
}

fn pttl(e: &mut Engine, call: &mut Call) -> Reply {
    ttl_generic(e, call, Unit::Millis, Base::Now)
}

fn expiretime(e: &mut Engine, call: &mut Call) -> Reply {
    ttl_generic(e, call, Unit::Seconds, Base::Epoch)
}

fn pexpiretime(e: &mut Engine, call: &mut Call) -> Reply {
    ttl_generic(e, call, Unit::Millis, Base::Epoch)
}

/// TTL PTTL EXPIRETIME PEXPIRETIME: -2 for no key, -1 for no expiry, else
/// the remaining (or absolute) time; seconds are rounded to the nearest.
fn ttl_generic(e: &mut Engine, call: &mut Call, unit: Unit, base: Base) -> Reply {
    let key = call.arg(1);
    let mut ks = e.keyspace(call.client);
    if !ks.exists(key) {
        return Reply::Integer(-2);
    }
    let Some(at) = ks.expire_at(key) else {
        return Reply::Integer(-1);
    };
    let ms = match base {
        Base::Now => at.saturating_sub(ks.now),
        Base::Epoch => at,
    };
    let value = match unit {
        Unit::Millis => ms,
        Unit::Seconds => (ms + 500) / 1000,
    };
    Reply::Integer(value as i64)
}

fn persist(e: &mut Engine, call: &mut Call) -> Reply {
    let key = call.arg(1);
    let mut ks = e.keyspace(call.client);
    let removed = ks.exists(key) && ks.persist(key, "persist");
    Reply::Integer(i64::from(removed))
}

fn rename(e: &mut Engine, call: &mut Call) -> Reply {
    rename_generic(e, call, false)
}

fn renamenx(e: &mut Engine, call: &mut Call) -> Reply {
    rename_generic(e, call, true)
}

/// RENAME moves the value with its TTL, replacing the destination;
/// RENAMENX leaves an existing destination alone. Renaming a key to itself
/// changes nothing, but the key must exist.
fn rename_generic(e: &mut Engine, call: &mut Call, nx: bool) -> Reply {
    let (src, dst) = (call.arg(1), call.arg(2));
    let name = if nx { "renamenx" } else { "rename" };
    let done = if nx { Reply::Integer(1) } else { Reply::ok() };
    let mut ks: Keyspace = e.keyspace(call.client);
    if !ks.exists(src) {
        return errors::no_such_key();
    }
    if src == dst {
        return if nx { Reply::Integer(0) } else { done };
    }
    if ks.exists(dst) {
        if nx {
            return Reply::Integer(0);
        }
        ks.delete(dst);
    }
    // The object moves whole: its encoding and access time go with it.
    let Some((value, at, meta)) = ks.take_entry(src) else {
        return errors::no_such_key();
    };
    ks.set_entry(dst, value, at, meta, name);
    // Redis signals the source's change, then the destination's; with
    // keyspace notifications on, notify.rs orders them among those.
    if !e.events.capture {
        let (src, dst) = (src.to_vec(), dst.to_vec());
        e.invalidate_key(&src, Some(call.client));
        e.invalidate_key(&dst, Some(call.client));
    }
    done
}

/// KEYS lists live keys matching a glob. Redis answers in hash-table
/// order, which is arbitrary; sorting makes the engine's answer the same
/// on every run (the differential tests compare KEYS as a sorted list).
fn keys(e: &mut Engine, call: &mut Call) -> Reply {
    let pattern = call.arg(1);
    // Redis's own shortcut: `*` lists every key, even the empty name,
    // which the matcher alone would not match.
    let all = pattern == b"*";
    let ks = e.keyspace(call.client);
    let mut found: Vec<&[u8]> = ks
        .live_keys()
        .filter(|k| all || glob::matches(pattern, k))
        .collect();
    crate::order::sort_bytes(&mut found); // keys are distinct
    Reply::Array(found.into_iter().map(|k| Reply::Bulk(k.to_vec())).collect())
}

#[cfg(test)]
#[path = "keys_tests.rs"]
mod tests;
