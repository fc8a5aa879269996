//! Set commands (Redis 7.0's `t_set.c`): SADD SREM SMEMBERS SISMEMBER
//! SMISMEMBER SCARD SPOP SRANDMEMBER SMOVE, the algebra (SINTER SUNION
//! SDIFF, their STORE forms, SINTERCARD) and SSCAN. The data structure and
//! its two encodings live in [`crate::types::set`].

use rustc_hash::{FxHashMap, FxHashSet};

use super::num;
use super::{c_str, errors, parse_cursor, scan_options, scan_reply, Call, Handler, Keyspace};
use crate::engine::Engine;
use crate::reply::Reply;
use crate::rng::Rng;
use crate::types::Set;
use crate::value::Value;

pub const HANDLERS: &[(&str, Handler)] = &[
    ("sadd", sadd),
    ("scard", scard),
    ("sdiff", sdiff),
    ("sdiffstore", sdiffstore),
    ("sinter", sinter),
    ("sintercard", sintercard),
    ("sinterstore", sinterstore),
    ("sismember", sismember),
    ("smembers", smembers),
    ("smismember", smismember),
    ("smove", smove),
    ("spop", spop),
    ("srandmember", srandmember),
    ("srem", srem),
    ("sscan", sscan),
    ("sunion", sunion),
    ("sunionstore", sunionstore),
];

/// The most elements SRANDMEMBER with a negative count answers here.
/// Redis would try to build any size and run out of memory; a browser tab
/// gets Redis's out-of-memory error instead.
const MAX_REPLY_ELEMENTS: u64 = 1 << 20;

/// SPOP with a count rebuilds the rest of the set when what remains times
/// this is at most the count (Redis's `SPOP_MOVE_STRATEGY_MUL`).
const SPOP_MOVE_STRATEGY_MUL: u64 = 5;

/// `getPositiveLongFromObjectOrReply`: SPOP's count.
fn positive_range() -> Reply {
    Reply::error("ERR value is out of range, must be positive")
}

/// An array of bulk strings.
fn bulks(members: impl IntoIterator<Item = Vec<u8>>) -> Reply {
    Reply::Array(members.into_iter().map(Reply::Bulk).collect())
}

/// The engine's generator, taken out while a keyspace borrows the engine;
/// [`put_rng`] gives it back.
fn take_rng(e: &mut Engine) -> Rng {
    std::mem::replace(&mut e.rng, Rng::new(1))
}

fn put_rng(e: &mut Engine, rng: Rng) {
    e.rng = rng;
}

/// After removing members from `key`: the change is recorded, and a set
/// left empty is deleted (Redis never keeps an empty set).
fn removed_from(ks: &mut Keyspace, key: &[u8], command: &'static str) {
    let empty = matches!(ks.get_as(key, Value::as_set), Ok(Some(s)) if s.is_empty());
    ks.written(key, command);
    if empty {
        ks.delete(key);
    }
}

/// SADD key member [member ...]: how many were new.
fn sadd(e: &mut Engine, call: &mut Call) -> Reply {
    let key = call.arg(1);
    let mut ks = e.keyspace(call.client);
    let max = ks.intset_max();
    let set = match ks.get_or_create(key, Value::new_set, Value::as_set_mut) {
        Ok(set) => set,
        Err(err) => return err,
    };
    let added = call.argv[2..]
        .iter()
        .filter(|m| set.insert_within(m, max))
        .count();
    if added > 0 {
        ks.written(key, "sadd");
    }
    Reply::Integer(added as i64)
}

/// SREM key member [member ...]: how many were removed.
fn srem(e: &mut Engine, call: &mut Call) -> Reply {
    let key = call.arg(1);
    let mut ks = e.keyspace(call.client);
    let set = match ks.get_as_mut(key, Value::as_set_mut) {
        Ok(Some(set)) => set,
        Ok(None) => return Reply::Integer(0),
        Err(err) => return err,
    };
    let removed = call.argv[2..].iter().filter(|m| set.remove(m)).count();
    if removed > 0 {
        removed_from(&mut ks, key, "srem");
    }
    Reply::Integer(removed as i64)
}

/// SCARD key: 0 for a missing key.
fn scard(e: &mut Engine, call: &mut Call) -> Reply {
    match e.keyspace(call.client).get_as(call.arg(1), Value::as_set) {
        Ok(set) => Reply::Integer(set.map_or(0, |s| s.len() as i64)),
        Err(err) => err,
    }
}

/// SISMEMBER key member.
fn sismember(e: &mut Engine, call: &mut Call) -> Reply {
    match e.keyspace(call.client).get_as(call.arg(1), Value::as_set) {
        Ok(set) => Reply::Integer(set.is_some_and(|s| s.contains(call.arg(2))) as i64),
        Err(err) => err,
    }
}

/// SMISMEMBER key member [member ...]: one 0 or 1 per member.
fn smismember(e: &mut Engine, call: &mut Call) -> Reply {
    match e.keyspace(call.client).get_as(call.arg(1), Value::as_set) {
        Ok(set) => Reply::Array(
            call.argv[2..]
                .iter()
                .map(|m| Reply::Integer(set.is_some_and(|s| s.contains(m)) as i64))
                .collect(),
        ),
        Err(err) => err,
    }
}

/// SMEMBERS key: in 7.0 this is SINTER of one key, so the members come in
/// the set's order (ascending for an intset).
fn smembers(e: &mut Engine, call: &mut Call) -> Reply {
    sinter_generic(e, call, 1, None, Inter::Members)
}

/// SPOP key [count]. Without a count: one random member, or nil. With
/// one: the count is checked first, then the key; a count covering the
/// whole set answers it as Redis's SUNION of that one key would (rebuilt:
/// ascending if it can be an intset) and deletes the key.
fn spop(e: &mut Engine, call: &mut Call) -> Reply {
    match call.argv.len() {
        2 => {}
        3 => return spop_count(e, call),
        _ => return errors::syntax(),
    }
    let key = call.arg(1);
    let mut rng = take_rng(e);
    let mut ks = e.keyspace(call.client);
    let reply = match ks.get_as_mut(key, Value::as_set_mut) {
        Ok(Some(set)) => {
            let popped = set.pop_random(&mut rng);
            removed_from(&mut ks, key, "spop");
            popped.map_or(Reply::Nil, Reply::Bulk)
        }
        Ok(None) => Reply::Nil,
        Err(err) => err,
    };
    put_rng(e, rng);
    reply
}

fn spop_count(e: &mut Engine, call: &mut Call) -> Reply {
    let count = match num::parse_i64(call.arg(2)) {
        Some(n) if n >= 0 => n as u64,
        _ => return positive_range(),
    };
    let key = call.arg(1);
    let mut rng = take_rng(e);
    let mut ks = e.keyspace(call.client);
    let max = ks.intset_max();
    let reply = match ks.get_as_mut(key, Value::as_set_mut) {
        Ok(None) => Reply::Array(Vec::new()),
        Err(err) => err,
        Ok(Some(_)) if count == 0 => Reply::Array(Vec::new()),
        Ok(Some(set)) if count >= set.len() as u64 => {
            let all = bulks(rebuilt(set.iter(), max).iter());
            ks.written(key, "spop");
            ks.delete(key);
            all
        }
        Ok(Some(set)) => {
            let remaining = set.len() as u64 - count;
            let popped: Vec<Vec<u8>> = (0..count)
                .filter_map(|_| set.pop_random(&mut rng))
                .collect();
            // Redis pops a large share by building a new set of what
            // remains (`setTypeCreate` + `setTypeAdd`): an intset again if
            // it can be. The key keeps its TTL (`dbOverwrite`).
            if remaining * SPOP_MOVE_STRATEGY_MUL <= count {
                *set = rebuilt(set.iter(), max);
            }
            removed_from(&mut ks, key, "spop");
            bulks(popped)
        }
    };
    put_rng(e, rng);
    reply
}

/// SRANDMEMBER key [count]. A negative count allows repeats; a positive
/// one gives distinct members, the whole set in its own order when the
/// count covers it (unlike SPOP, which answers a rebuilt copy).
fn srandmember(e: &mut Engine, call: &mut Call) -> Reply {
    match call.argv.len() {
        2 => {}
        3 => return srandmember_count(e, call),
        _ => return errors::syntax(),
    }
    let mut rng = take_rng(e);
    let reply = match e.keyspace(call.client).get_as(call.arg(1), Value::as_set) {
        Ok(set) => set
            .and_then(|s| s.random(&mut rng))
            .map_or(Reply::Nil, Reply::Bulk),
        Err(err) => err,
    };
    put_rng(e, rng);
    reply
}

fn srandmember_count(e: &mut Engine, call: &mut Call) -> Reply {
    let count = match num::parse_i64(call.arg(2)) {
        None => return errors::not_integer(),
        Some(i64::MIN) => {
            return Reply::error(
                "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807",
            )
        }
        Some(n) => n,
    };
    let mut rng = take_rng(e);
    let reply = match e.keyspace(call.client).get_as(call.arg(1), Value::as_set) {
        Ok(None) => Reply::Array(Vec::new()),
        Err(err) => err,
        Ok(Some(set)) => random_members(set, count, &mut rng),
    };
    put_rng(e, rng);
    reply
}

/// Redis's `srandmemberWithCountCommand` cases: repeats allowed for a
/// negative count (or a count of 1); the whole set when the count covers
/// it; otherwise `count` distinct members, by a partial shuffle when the
/// count is a large share of the set, by picking until distinct when small.
fn random_members(set: &Set, count: i64, rng: &mut Rng) -> Reply {
    let size = set.len() as u64;
    let n = count.unsigned_abs();
    if n == 0 {
        return Reply::Array(Vec::new());
    }
    if count < 0 || n == 1 {
        if n > MAX_REPLY_ELEMENTS {
            return errors::out_of_memory();
        }
        return bulks((0..n).filter_map(|_| set.random(rng)));
    }
    if n >= size {
        return bulks(set.iter());
    }
    let picked: Vec<usize> = if n * 3 > size {
        let mut order: Vec<usize> = (0..set.len()).collect();
        for i in 0..n as usize {
            let j = i + rng.below(size - i as u64) as usize;
            order.swap(i, j);
        }
        order.truncate(n as usize);
        order
    } else {
        let mut seen = FxHashSet::default();
        let mut picked = Vec::new();
        while (picked.len() as u64) < n {
            let i = rng.below(size) as usize;
            if seen.insert(i) {
                picked.push(i);
            }
        }
        picked
    };
    bulks(picked.into_iter().filter_map(|i| set.get(i)))
}

/// SMOVE source destination member. A missing source answers 0 before any
/// type check; then both keys must be sets. Source equal to destination
/// only tells whether the member is there.
fn smove(e: &mut Engine, call: &mut Call) -> Reply {
    let (src, dst, member) = (call.arg(1), call.arg(2), call.arg(3));
    let mut ks = e.keyspace(call.client);
    match ks.get_as(src, Value::as_set) {
        Ok(None) => return Reply::Integer(0),
        Err(err) => return err,
        Ok(Some(_)) => {}
    }
    if let Err(err) = ks.get_as(dst, Value::as_set) {
        return err;
    }
    if src == dst {
        let has = matches!(ks.get_as(src, Value::as_set), Ok(Some(s)) if s.contains(member));
        return Reply::Integer(has as i64);
    }
    let removed = match ks.get_as_mut(src, Value::as_set_mut) {
        Ok(Some(set)) => set.remove(member),
        _ => false,
    };
    if !removed {
        return Reply::Integer(0);
    }
    removed_from(&mut ks, src, "smove");
    let max = ks.intset_max();
    let added = match ks.get_or_create(dst, Value::new_set, Value::as_set_mut) {
        Ok(set) => set.insert_within(member, max),
        Err(err) => return err, // checked above: not reached
    };
    if added {
        ks.written(dst, "smove");
    }
    Reply::Integer(1)
}

/// What SINTER's shared code answers: the members, their count (SINTERCARD,
/// stopping at a limit; 0 is none), or a stored set's size.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Inter {
    Members,
    Card(u64),
    Store,
}

fn sinter(e: &mut Engine, call: &mut Call) -> Reply {
    sinter_generic(e, call, 1, None, Inter::Members)
}

fn sinterstore(e: &mut Engine, call: &mut Call) -> Reply {
    let dst = call.arg(1).to_vec();
    sinter_generic(e, call, 2, Some(dst.as_slice()), Inter::Store)
}

/// SINTERCARD numkeys key [key ...] [LIMIT limit].
fn sintercard(e: &mut Engine, call: &mut Call) -> Reply {
    let numkeys_err = || Reply::error("ERR numkeys should be greater than 0");
    let numkeys = match num::parse_i64(call.arg(1)) {
        Some(n) if n >= 1 => n as u64,
        _ => return numkeys_err(),
    };
    let argc = call.argv.len();
    if numkeys > argc.saturating_sub(2) as u64 {
        return Reply::error("ERR Number of keys can't be greater than number of args");
    }
    let end = 2 + numkeys as usize;
    let mut limit = 0;
    let mut j = end;
    while j < argc {
        if c_str(call.arg(j)).eq_ignore_ascii_case(b"limit") && j + 1 < argc {
            j += 1;
            limit = match num::parse_i64(call.arg(j)) {
                Some(n) if n >= 0 => n as u64,
                _ => return Reply::error("ERR LIMIT can't be negative"),
            };
        } else {
            return errors::syntax();
        }
        j += 1;
    }
    call.argv.truncate(end);
    sinter_generic(e, call, 2, None, Inter::Card(limit))
}

/// Redis's `sinterGenericCommand` over the keys `argv[first..]`: every key
/// is type-checked first; a missing key makes the result empty; the
/// smallest set's members are tested against the others, in that set's
/// order. A stored result is built as Redis builds it (an intset while it
/// can be), replaces the destination and its TTL, or deletes it if empty.
fn sinter_generic(
    e: &mut Engine,
    call: &mut Call,
    first: usize,
    dst: Option<&[u8]>,
    what: Inter,
) -> Reply {
    let keys = &call.argv[first..];
    let mut ks = e.keyspace(call.client);
    let mut sizes = Vec::with_capacity(keys.len());
    let mut empty = false;
    for key in keys {
        match ks.get_as(key, Value::as_set) {
            Ok(Some(set)) => sizes.push(set.len()),
            Ok(None) => empty = true,
            Err(err) => return err,
        }
    }
    let mut members = Vec::new();
    if !empty {
        // The smallest set first (the first of equals, as a stable sort).
        let order = crate::order::indices_by_key(keys.len(), |i| sizes[i] as u64);
        if let Some((&smallest, rest)) = order.split_first() {
            if let Ok(Some(set)) = ks.get_as(&keys[smallest], Value::as_set) {
                members = set.iter().collect();
            }
            for &i in rest {
                if keys[i] == keys[smallest] {
                    continue;
                }
                if let Ok(Some(set)) = ks.get_as(&keys[i], Value::as_set) {
                    members.retain(|m| set.contains(m));
                }
            }
        }
    }
    match what {
        Inter::Members => bulks(members),
        Inter::Card(limit) => {
            let n = members.len() as u64;
            Reply::Integer(if limit > 0 { n.min(limit) } else { n } as i64)
        }
        Inter::Store => store(&mut ks, dst.unwrap_or_default(), members, "sinterstore"),
    }
}

/// Writes `members` as a new set at `dst` (dropping its old value and
/// TTL), or deletes `dst` when there are none; answers the set's size.
fn store(ks: &mut Keyspace, dst: &[u8], members: Vec<Vec<u8>>, command: &'static str) -> Reply {
    let set = rebuilt(members, ks.intset_max());
    if set.is_empty() {
        ks.delete(dst);
        return Reply::Integer(0);
    }
    let n = set.len() as i64;
    ks.set(dst, Value::Set(set), command);
    Reply::Integer(n)
}

/// A set built from nothing by adding `members` in turn, as Redis builds
/// its results (`createIntsetObject` then `setTypeAdd`): an intset while
/// every member is an integer and there are at most `max` of them.
fn rebuilt(members: impl IntoIterator<Item = Vec<u8>>, max: usize) -> Set {
    let mut set = Set::default();
    for m in members {
        set.insert_within(&m, max);
    }
    set
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Op {
    Union,
    Diff,
}

fn sunion(e: &mut Engine, call: &mut Call) -> Reply {
    sunion_diff(e, call, 1, None, Op::Union)
}

fn sunionstore(e: &mut Engine, call: &mut Call) -> Reply {
    let dst = call.arg(1).to_vec();
    sunion_diff(e, call, 2, Some(dst.as_slice()), Op::Union)
}

fn sdiff(e: &mut Engine, call: &mut Call) -> Reply {
    sunion_diff(e, call, 1, None, Op::Diff)
}

fn sdiffstore(e: &mut Engine, call: &mut Call) -> Reply {
    let dst = call.arg(1).to_vec();
    sunion_diff(e, call, 2, Some(dst.as_slice()), Op::Diff)
}

/// Redis's `sunionDiffGenericCommand` over the keys `argv[first..]`: every
/// key is type-checked first, missing keys are empty sets, and the result
/// is built as Redis builds it (an intset while it can be), so its order
/// is Redis's. The difference walks whichever side is smaller.
fn sunion_diff(e: &mut Engine, call: &mut Call, first: usize, dst: Option<&[u8]>, op: Op) -> Reply {
    let keys = &call.argv[first..];
    let mut ks = e.keyspace(call.client);
    for key in keys {
        if let Err(err) = ks.get_as(key, Value::as_set) {
            return err;
        }
    }
    ks.looked_up();
    let result = match op {
        Op::Union => {
            let mut result = Set::default();
            let max = ks.intset_max();
            for key in keys {
                if let Ok(Some(set)) = ks.get_as(key, Value::as_set) {
                    for m in set.iter() {
                        result.insert_within(&m, max);
                    }
                }
            }
            result
        }
        Op::Diff => {
            let (head, rest) = keys.split_first().unwrap_or((&call.argv[0], &[]));
            let mut left: Vec<Vec<u8>> = match ks.get_as(head, Value::as_set) {
                Ok(Some(set)) if !rest.contains(head) => set.iter().collect(),
                _ => Vec::new(),
            };
            for key in rest {
                if left.is_empty() {
                    break;
                }
                if let Ok(Some(set)) = ks.get_as(key, Value::as_set) {
                    if set.len() < left.len() {
                        // The map type sets index with (its code is shared).
                        let gone: FxHashMap<Vec<u8>, u64> = set.iter().map(|m| (m, 0)).collect();
                        left.retain(|m| !gone.contains_key(m));
                    } else {
                        left.retain(|m| !set.contains(m));
                    }
                }
            }
            rebuilt(left, ks.intset_max())
        }
    };
    match dst {
        None => bulks(result.iter()),
        Some(dst) => {
            let command = if op == Op::Union {
                "sunionstore"
            } else {
                "sdiffstore"
            };
            store(&mut ks, dst, result.iter().collect(), command)
        }
    }
}

/// SSCAN key cursor [MATCH pattern] [COUNT count]. The cursor is read
/// first (`strtoul`: an optional sign, digits, no leading space; `-1`
/// wraps), then the key, then the options. An intset answers every member
/// with cursor 0; MATCH filters a page after it is taken.
fn sscan(e: &mut Engine, call: &mut Call) -> Reply {
    let Some(cursor) = parse_cursor(call.arg(2)) else {
        return Reply::error("ERR invalid cursor");
    };
    let mut ks = e.keyspace(call.client);
    let set = match ks.get_as(call.arg(1), Value::as_set) {
        Ok(Some(set)) => set,
        Ok(None) => return scan_reply(0, Vec::new()),
        Err(err) => return err,
    };
    let o = match scan_options(&call.argv[3..], false) {
        Ok(o) => o,
        Err(err) => return err,
    };
    let (next, page) = set.scan(cursor, o.count);
    let items = page
        .into_iter()
        .filter(|m| o.matches(m))
        .map(Reply::Bulk)
        .collect();
    scan_reply(next, items)
}

#[cfg(test)]
#[path = "sets_tests.rs"]
mod tests;
