//! Sorted-set commands (Redis 7.0's `t_zset.c`): ZADD ZINCRBY ZREM ZSCORE
//! ZMSCORE ZRANK ZREVRANK ZCARD, the pops (ZPOPMIN ZPOPMAX ZMPOP),
//! ZRANDMEMBER and ZSCAN here; the ranges (ZRANGE and its forms, ZCOUNT,
//! ZLEXCOUNT, ZREMRANGEBY*) in [`ranges`]; the algebra (ZUNION ZINTER
//! ZDIFF, their STORE forms, ZINTERCARD) in [`algebra`]. The data
//! structure lives in [`crate::types::zset`].

mod algebra;
mod ranges;

use super::num;
use super::{
    arg_is as is, errors, parse_cursor, scan_options, scan_reply, Call, Handler, Keyspace,
};
use crate::engine::Engine;
use crate::reply::Reply;
use crate::rng::Rng;
use crate::types::zset::Limits;
use crate::types::ZSet;
use crate::value::Value;

pub const HANDLERS: &[(&str, Handler)] = &[
    ("zadd", zadd),
    ("zcard", zcard),
    ("zcount", ranges::zcount),
    ("zdiff", algebra::zdiff),
    ("zdiffstore", algebra::zdiffstore),
    ("zincrby", zincrby),
    ("zinter", algebra::zinter),
    ("zintercard", algebra::zintercard),
    ("zinterstore", algebra::zinterstore),
    ("zlexcount", ranges::zlexcount),
    ("zmpop", zmpop),
    ("zmscore", zmscore),
    ("zpopmax", zpopmax),
    ("zpopmin", zpopmin),
    ("zrandmember", zrandmember),
    ("zrange", ranges::zrange),
    ("zrangebylex", ranges::zrangebylex),
    ("zrangebyscore", ranges::zrangebyscore),
    ("zrangestore", ranges::zrangestore),
    ("zrank", zrank),
    ("zrem", zrem),
    ("zremrangebylex", ranges::zremrangebylex),
    ("zremrangebyrank", ranges::zremrangebyrank),
    ("zremrangebyscore", ranges::zremrangebyscore),
    ("zrevrange", ranges::zrevrange),
    ("zrevrangebylex", ranges::zrevrangebylex),
    ("zrevrangebyscore", ranges::zrevrangebyscore),
    ("zrevrank", zrevrank),
    ("zscan", zscan),
    ("zscore", zscore),
    ("zunion", algebra::zunion),
    ("zunionstore", algebra::zunionstore),
];

/// The most elements ZRANDMEMBER with a negative count answers here.
/// Redis would try to build any size and run out of memory; a browser tab
/// gets Redis's out-of-memory error instead.
const MAX_REPLY_ELEMENTS: u64 = 1 << 20;

/// A score as Redis writes it in a reply (`addReplyDouble`: `%.17g`).
pub(crate) fn score_reply(score: f64) -> Reply {
    Reply::Bulk(num::format_g17(score).into_bytes())
}

/// A score as a listpack holds it (`d2string`): an integral value within
/// ±2^62 as an integer, anything else as `%.17g`. ZSCAN answers a
/// listpack's scores in this form.
fn listpack_text(score: f64) -> Reply {
    Reply::Bulk(crate::types::zset::listpack_score(score))
}

/// Redis's `getLongFromObjectOrReply` with a message: any failure, not a
/// number or out of `[min, max]`, answers `ERR <msg>`.
fn long_in(arg: &[u8], min: i64, max: i64, msg: &str) -> Result<i64, Reply> {
    match num::parse_i64(arg) {
        Some(n) if (min..=max).contains(&n) => Ok(n),
        _ => Err(Reply::error(format!("ERR {msg}"))),
    }
}

fn integer(arg: &[u8]) -> Result<i64, Reply> {
    num::parse_i64(arg).ok_or_else(errors::not_integer)
}

/// After removing members from `key`: the change is recorded, and a
/// sorted set left empty is deleted (Redis never keeps an empty one).
fn removed_from(ks: &mut Keyspace, key: &[u8], command: &'static str) {
    let empty = matches!(ks.get_as(key, Value::as_zset), Ok(Some(z)) if z.is_empty());
    ks.written(key, command);
    if empty {
        ks.delete(key);
    }
}

/// ZADD's options.
#[derive(Clone, Copy, Default)]
struct AddFlags {
    nx: bool,
    xx: bool,
    gt: bool,
    lt: bool,
    ch: bool,
    incr: bool,
}

/// What `zsetAdd` did to one member.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Added {
    New,
    Updated,
    /// Present and left alone (same score), still counted as processed.
    Same,
    /// Refused by NX, XX, GT or LT.
    Nop,
}

/// Redis's `zsetAdd`: `Err` when INCR would make the score NaN.
fn zset_add(
    z: &mut ZSet,
    member: &[u8],
    score: f64,
    f: AddFlags,
    limits: Limits,
) -> Result<(Added, f64), ()> {
    match z.score(member) {
        Some(cur) => {
            if f.nx {
                return Ok((Added::Nop, cur));
            }
            let mut score = score;
            if f.incr {
                score += cur;
                if score.is_nan() {
                    return Err(());
                }
            }
            if (f.lt && score >= cur) || (f.gt && score <= cur) {
                return Ok((Added::Nop, cur));
            }
            if score != cur {
                z.insert_within(member, score, limits);
                return Ok((Added::Updated, score));
            }
            Ok((Added::Same, score))
        }
        None if !f.xx => {
            z.insert_within(member, score, limits);
            Ok((Added::New, score))
        }
        None => Ok((Added::Nop, 0.0)),
    }
}

/// ZADD key [NX|XX] [GT|LT] [CH] [INCR] score member [score member ...].
/// GEOADD runs it on the scores it computed, as Redis does.
pub(crate) fn zadd(e: &mut Engine, call: &mut Call) -> Reply {
    let mut f = AddFlags::default();
    let mut i = 2;
    while i < call.argv.len() {
        let a = call.arg(i);
        if is(a, "nx") {
            f.nx = true;
        } else if is(a, "xx") {
            f.xx = true;
        } else if is(a, "ch") {
            f.ch = true;
        } else if is(a, "incr") {
            f.incr = true;
        } else if is(a, "gt") {
            f.gt = true;
        } else if is(a, "lt") {
            f.lt = true;
        } else {
            break;
        }
        i += 1;
    }
    zadd_generic(e, call, i, f, "zadd")
}

/// ZINCRBY key increment member: ZADD INCR.
fn zincrby(e: &mut Engine, call: &mut Call) -> Reply {
    let f = AddFlags {
        incr: true,
        ..AddFlags::default()
    };
    zadd_generic(e, call, 2, f, "zincr")
}

/// Redis's `zaddGenericCommand` from the first score at `argv[first]`.
fn zadd_generic(
    e: &mut Engine,
    call: &mut Call,
    first: usize,
    f: AddFlags,
    event: &'static str,
) -> Reply {
    let elements = call.argv.len() - first;
    if elements % 2 == 1 || elements == 0 {
        return errors::syntax();
    }
    if f.nx && f.xx {
        return Reply::error("ERR XX and NX options at the same time are not compatible");
    }
    if ((f.gt || f.lt) && f.nx) || (f.gt && f.lt) {
        return Reply::error("ERR GT, LT, and/or NX options at the same time are not compatible");
    }
    if f.incr && elements > 2 {
        return Reply::error("ERR INCR option supports a single increment-element pair");
    }
    let mut scores = Vec::with_capacity(elements / 2);
    for j in 0..elements / 2 {
        match num::parse_f64(call.arg(first + 2 * j)) {
            Some(s) => scores.push(s),
            None => return errors::not_float(),
        }
    }
    let key = call.arg(1);
    let mut ks = e.keyspace(call.client);
    let reply = |processed: bool, score: f64, added: usize, updated: usize| {
        if f.incr {
            if processed {
                score_reply(score)
            } else {
                Reply::Nil
            }
        } else {
            Reply::Integer(if f.ch { added + updated } else { added } as i64)
        }
    };
    match ks.get_as(key, Value::as_zset) {
        Err(err) => return err,
        Ok(None) if f.xx => return reply(false, 0.0, 0, 0),
        _ => {}
    }
    let limits = ks.zset_limits();
    let z = match ks.get_or_create(key, Value::new_zset, Value::as_zset_mut) {
        Ok(z) => z,
        Err(err) => return err,
    };
    let (mut added, mut updated, mut processed, mut last) = (0, 0, false, 0.0);
    let mut failed = false;
    for (j, &score) in scores.iter().enumerate() {
        match zset_add(z, call.arg(first + 2 * j + 1), score, f, limits) {
            Ok((what, new)) => {
                match what {
                    Added::New => added += 1,
                    Added::Updated => updated += 1,
                    _ => {}
                }
                if what != Added::Nop {
                    processed = true;
                }
                last = new;
            }
            Err(()) => {
                failed = true;
                break;
            }
        }
    }
    let empty = z.is_empty();
    if added + updated > 0 {
        ks.written(key, event);
    }
    if empty {
        // Created for nothing (XX aside, nothing can get here empty).
        ks.db.remove_key(key);
    }
    if failed {
        return Reply::error("ERR resulting score is not a number (NaN)");
    }
    reply(processed, last, added, updated)
}

/// ZREM key member [member ...]: how many were removed.
fn zrem(e: &mut Engine, call: &mut Call) -> Reply {
    let key = call.arg(1);
    let mut ks = e.keyspace(call.client);
    let z = match ks.get_as_mut(key, Value::as_zset_mut) {
        Ok(Some(z)) => z,
        Ok(None) => return Reply::Integer(0),
        Err(err) => return err,
    };
    let mut removed = 0;
    for m in &call.argv[2..] {
        if z.remove(m).is_some() {
            removed += 1;
            if z.is_empty() {
                break;
            }
        }
    }
    if removed > 0 {
        removed_from(&mut ks, key, "zrem");
    }
    Reply::Integer(removed)
}

/// ZCARD key.
fn zcard(e: &mut Engine, call: &mut Call) -> Reply {
    match e.keyspace(call.client).get_as(call.arg(1), Value::as_zset) {
        Ok(z) => Reply::Integer(z.map_or(0, |z| z.len() as i64)),
        Err(err) => err,
    }
}

/// ZSCORE key member.
fn zscore(e: &mut Engine, call: &mut Call) -> Reply {
    match e.keyspace(call.client).get_as(call.arg(1), Value::as_zset) {
        Ok(z) => z
            .and_then(|z| z.score(call.arg(2)))
            .map_or(Reply::Nil, score_reply),
        Err(err) => err,
    }
}

/// ZMSCORE key member [member ...]: a score or nil per member.
fn zmscore(e: &mut Engine, call: &mut Call) -> Reply {
    match e.keyspace(call.client).get_as(call.arg(1), Value::as_zset) {
        Ok(z) => Reply::Array(
            call.argv[2..]
                .iter()
                .map(|m| z.and_then(|z| z.score(m)).map_or(Reply::Nil, score_reply))
                .collect(),
        ),
        Err(err) => err,
    }
}

fn zrank(e: &mut Engine, call: &mut Call) -> Reply {
    rank_generic(e, call, false)
}

fn zrevrank(e: &mut Engine, call: &mut Call) -> Reply {
    rank_generic(e, call, true)
}

/// ZRANK / ZREVRANK key member: the 0-based rank, or nil.
fn rank_generic(e: &mut Engine, call: &mut Call, rev: bool) -> Reply {
    match e.keyspace(call.client).get_as(call.arg(1), Value::as_zset) {
        Ok(Some(z)) => match z.rank(call.arg(2)) {
            Some(r) if rev => Reply::Integer((z.len() - 1 - r) as i64),
            Some(r) => Reply::Integer(r as i64),
            None => Reply::Nil,
        },
        Ok(None) => Reply::Nil,
        Err(err) => err,
    }
}

/// Which end a pop takes from.
#[derive(Clone, Copy, PartialEq, Eq)]
enum End {
    Min,
    Max,
}

fn zpopmin(e: &mut Engine, call: &mut Call) -> Reply {
    zpop_command(e, call, End::Min)
}

fn zpopmax(e: &mut Engine, call: &mut Call) -> Reply {
    zpop_command(e, call, End::Max)
}

/// ZPOPMIN / ZPOPMAX key [count]: a flat array of members and scores.
fn zpop_command(e: &mut Engine, call: &mut Call, end: End) -> Reply {
    if call.argv.len() > 3 {
        return errors::syntax();
    }
    let mut count = 1;
    if call.argv.len() == 3 {
        match long_in(
            call.arg(2),
            0,
            i64::MAX,
            "value is out of range, must be positive",
        ) {
            Ok(n) => count = n as u64,
            Err(err) => return err,
        }
    }
    let keys = vec![call.arg(1).to_vec()];
    match zpop(e, call, &keys, end, count) {
        Ok(Some((_, popped))) => Reply::Array(
            popped
                .into_iter()
                .flat_map(|(m, s)| [Reply::Bulk(m), score_reply(s)])
                .collect(),
        ),
        Ok(None) => Reply::Array(Vec::new()),
        Err(err) => err,
    }
}

/// Members and scores taken from one key.
type Popped = (Vec<u8>, Vec<(Vec<u8>, f64)>);

/// Redis's `genericZpopCommand`: the first key holding a sorted set
/// (missing keys skipped, another type an error) gives up to `count`
/// members from `end`; `None` when there is nothing to pop (a count of 0
/// still type-checks the key).
fn zpop(
    e: &mut Engine,
    call: &Call,
    keys: &[Vec<u8>],
    end: End,
    count: u64,
) -> Result<Option<Popped>, Reply> {
    let mut ks = e.keyspace(call.client);
    for key in keys {
        let z = match ks.get_as_mut(key, Value::as_zset_mut)? {
            Some(z) => z,
            None => continue,
        };
        if count == 0 {
            return Ok(None);
        }
        let mut popped = Vec::new();
        while (popped.len() as u64) < count && !z.is_empty() {
            let rank = if end == End::Min { 0 } else { z.len() - 1 };
            let Some(entry) = z.get(rank) else { break };
            let member = entry.member.to_vec();
            let score = entry.score;
            z.remove(&member);
            popped.push((member, score));
        }
        let event = if end == End::Min {
            "zpopmin"
        } else {
            "zpopmax"
        };
        removed_from(&mut ks, key, event);
        return Ok(Some((key.clone(), popped)));
    }
    Ok(None)
}

/// ZMPOP numkeys key [key ...] MIN|MAX [COUNT count]: `[key, [[member,
/// score] ...]]` from the first non-empty key, or a nil array.
fn zmpop(e: &mut Engine, call: &mut Call) -> Reply {
    let numkeys = match long_in(call.arg(1), 1, i64::MAX, "numkeys should be greater than 0") {
        Ok(n) => n as u64,
        Err(err) => return err,
    };
    let argc = call.argv.len() as u64;
    let where_idx = 2 + numkeys;
    if where_idx >= argc {
        return errors::syntax();
    }
    let where_idx = where_idx as usize;
    let end = if is(call.arg(where_idx), "min") {
        End::Min
    } else if is(call.arg(where_idx), "max") {
        End::Max
    } else {
        return errors::syntax();
    };
    let mut count = None;
    let mut j = where_idx + 1;
    while j < call.argv.len() {
        if count.is_none() && is(call.arg(j), "count") && j + 1 < call.argv.len() {
            j += 1;
            match long_in(call.arg(j), 1, i64::MAX, "count should be greater than 0") {
                Ok(n) => count = Some(n as u64),
                Err(err) => return err,
            }
        } else {
            return errors::syntax();
        }
        j += 1;
    }
    let keys = call.argv[2..where_idx].to_vec();
    match zpop(e, call, &keys, end, count.unwrap_or(1)) {
        Ok(Some((key, popped))) => Reply::Array(vec![
            Reply::Bulk(key),
            Reply::Array(
                popped
                    .into_iter()
                    .map(|(m, s)| Reply::Array(vec![Reply::Bulk(m), score_reply(s)]))
                    .collect(),
            ),
        ]),
        Ok(None) => Reply::NilArray,
        Err(err) => err,
    }
}

/// The engine's generator, taken out while a keyspace borrows the engine.
fn take_rng(e: &mut Engine) -> Rng {
    std::mem::replace(&mut e.rng, Rng::new(1))
}

/// ZRANDMEMBER key [count [WITHSCORES]].
fn zrandmember(e: &mut Engine, call: &mut Call) -> Reply {
    let argc = call.argv.len();
    if argc >= 3 {
        let count = match num::parse_i64(call.arg(2)) {
            None => return errors::not_integer(),
            Some(i64::MIN) => {
                return Reply::error(
                    "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807",
                )
            }
            Some(n) => n,
        };
        let withscores = argc == 4;
        if argc > 4 || (withscores && !is(call.arg(3), "withscores")) {
            return errors::syntax();
        }
        if withscores && !(-(i64::MAX / 2)..=i64::MAX / 2).contains(&count) {
            return Reply::error("ERR value is out of range");
        }
        let mut rng = take_rng(e);
        let reply = match e.keyspace(call.client).get_as(call.arg(1), Value::as_zset) {
            Ok(None) => Reply::Array(Vec::new()),
            Err(err) => err,
            Ok(Some(z)) => random_members(z, count, withscores, &mut rng),
        };
        e.rng = rng;
        return reply;
    }
    let mut rng = take_rng(e);
    let reply = match e.keyspace(call.client).get_as(call.arg(1), Value::as_zset) {
        Ok(Some(z)) if !z.is_empty() => {
            let i = rng.below(z.len() as u64) as usize;
            z.get(i)
                .map_or(Reply::Nil, |en| Reply::Bulk(en.member.to_vec()))
        }
        Ok(_) => Reply::Nil,
        Err(err) => err,
    };
    e.rng = rng;
    reply
}

/// Redis's `zrandmemberWithCountCommand` cases: repeats for a negative
/// count (or a count of 1); the whole set from the highest rank down when
/// the count covers it; otherwise `count` distinct members in random order.
fn random_members(z: &ZSet, count: i64, withscores: bool, rng: &mut Rng) -> Reply {
    let size = z.len() as u64;
    let n = count.unsigned_abs();
    let text: fn(f64) -> Reply = score_reply;
    let emit = |picked: &mut dyn Iterator<Item = (Vec<u8>, f64)>, text: fn(f64) -> Reply| {
        let mut out = Vec::new();
        for (m, s) in picked {
            out.push(Reply::Bulk(m));
            if withscores {
                out.push(text(s));
            }
        }
        Reply::Array(out)
    };
    if n == 0 || size == 0 {
        return Reply::Array(Vec::new());
    }
    if count < 0 || n == 1 {
        if n > MAX_REPLY_ELEMENTS {
            return errors::out_of_memory();
        }
        let mut picks = (0..n).filter_map(|_| {
            let i = rng.below(size) as usize;
            z.get(i).map(|en| (en.member.to_vec(), en.score))
        });
        return emit(&mut picks, text);
    }
    if n >= size {
        // The whole set, as Redis answers it: from the highest rank down.
        return emit(
            &mut z
                .iter_rev_from(z.len() - 1)
                .map(|en| (en.member.to_vec(), en.score)),
            text,
        );
    }
    let mut order: Vec<usize> = (0..z.len()).collect();
    for i in 0..n as usize {
        let j = i + rng.below(size - i as u64) as usize;
        order.swap(i, j);
    }
    order.truncate(n as usize);
    let mut picks = order
        .into_iter()
        .filter_map(|i| z.slot(i).map(|(m, s)| (m.to_vec(), s)));
    emit(&mut picks, text)
}

/// ZSCAN key cursor [MATCH pattern] [COUNT count]. The cursor is read
/// first, then the key, then the options. A listpack answers every member
/// in order with cursor 0; MATCH filters a page after it is taken.
fn zscan(e: &mut Engine, call: &mut Call) -> Reply {
    let Some(cursor) = parse_cursor(call.arg(2)) else {
        return Reply::error("ERR invalid cursor");
    };
    let mut ks = e.keyspace(call.client);
    let z = match ks.get_as(call.arg(1), Value::as_zset) {
        Ok(Some(z)) => z,
        Ok(None) => return scan_reply(0, Vec::new()),
        Err(err) => return err,
    };
    let o = match scan_options(&call.argv[3..], false) {
        Ok(o) => o,
        Err(err) => return err,
    };
    let (next, page): (u64, Vec<(Vec<u8>, f64)>) = if z.is_listpack() {
        (
            0,
            z.iter().map(|en| (en.member.to_vec(), en.score)).collect(),
        )
    } else {
        let (next, page) = z.scan(cursor, o.count);
        (
            next,
            page.into_iter().map(|(m, s)| (m.to_vec(), s)).collect(),
        )
    };
    let text = if z.is_listpack() {
        listpack_text
    } else {
        score_reply
    };
    let items = page
        .into_iter()
        .filter(|(m, _)| o.matches(m))
        .flat_map(|(m, s)| [Reply::Bulk(m), text(s)])
        .collect();
    scan_reply(next, items)
}

#[cfg(test)]
#[path = "zsets_tests.rs"]
mod tests;
