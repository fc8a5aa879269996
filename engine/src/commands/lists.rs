//! List commands (Redis's `t_list.c`): pushes and pops at both ends (with
//! a count, and LMPOP over several keys), LRANGE LINDEX LLEN LSET LINSERT
//! LREM LTRIM LPOS, and the moves between lists (LMOVE, RPOPLPUSH). The
//! blocking variants live elsewhere.
//!
//! Redis's order of checks is kept: most commands parse their numbers
//! before looking the key up, so a bad number wins over WRONGTYPE; LINDEX
//! and LSET look the key up first.

use std::mem;

use super::num;
use super::{arg_is as is, errors, Call, Handler, Keyspace};
use crate::engine::Engine;
use crate::reply::Reply;
use crate::types::list::End;
use crate::types::List;
use crate::value::Value;

pub const HANDLERS: &[(&str, Handler)] = &[
    ("lindex", lindex),
    ("linsert", linsert),
    ("llen", llen),
    ("lmove", lmove),
    ("lmpop", lmpop),
    ("lpop", lpop),
    ("lpos", lpos),
    ("lpush", lpush),
    ("lpushx", lpushx),
    ("lrange", lrange),
    ("lrem", lrem),
    ("lset", lset),
    ("ltrim", ltrim),
    ("rpop", rpop),
    ("rpoplpush", rpoplpush),
    ("rpush", rpush),
    ("rpushx", rpushx),
];

/// Handlers are written as `Result<Reply, Reply>` so `?` carries an error
/// reply out; this joins the two.
fn answer(result: Result<Reply, Reply>) -> Reply {
    result.unwrap_or_else(|err| err)
}

/// Redis's `getLongFromObjectOrReply` with no custom message.
fn long(arg: &[u8]) -> Result<i64, Reply> {
    num::parse_i64(arg).ok_or_else(errors::not_integer)
}

/// Redis's `getRangeLongFromObjectOrReply` with a custom message: not an
/// integer and out of range get the same text.
fn long_at_least(arg: &[u8], min: i64, message: &str) -> Result<i64, Reply> {
    num::parse_i64(arg)
        .filter(|&n| n >= min)
        .ok_or_else(|| Reply::error(format!("ERR {message}")))
}

/// LEFT or RIGHT (Redis's `getListPositionFromObjectOrReply`).
fn end_arg(arg: &[u8]) -> Result<End, Reply> {
    if is(arg, "right") {
        Ok(End::Right)
    } else if is(arg, "left") {
        Ok(End::Left)
    } else {
        Err(errors::syntax())
    }
}

/// An index into a list of `len` elements, negative counting from the
/// end (-1 is the last); `None` when outside the list.
fn index(i: i64, len: usize) -> Option<usize> {
    let len = i64::try_from(len).ok()?;
    let i = if i < 0 { i + len } else { i };
    (0..len).contains(&i).then_some(i as usize)
}

/// The inclusive range LRANGE and LTRIM keep (Redis's `addListRangeReply`
/// and `ltrimCommand`): negative ends count from the end, a start before
/// the list is 0, an end past it is the last element; `None` if empty.
fn clamp_range(start: i64, end: i64, len: usize) -> Option<(usize, usize)> {
    let len = i64::try_from(len).ok()?;
    let start = if start < 0 {
        (start + len).max(0)
    } else {
        start
    };
    let end = if end < 0 { end + len } else { end };
    if start > end || start >= len {
        return None;
    }
    Some((start as usize, end.min(len - 1) as usize))
}

fn bulks(items: impl IntoIterator<Item = Vec<u8>>) -> Reply {
    Reply::Array(items.into_iter().map(Reply::Bulk).collect())
}

fn len_reply(len: usize) -> Reply {
    Reply::Integer(i64::try_from(len).unwrap_or(i64::MAX))
}

/// Records a change to the list at `key`, then deletes it if the change
/// emptied it (Redis's "lpop" then "del" notifications).
fn changed(ks: &mut Keyspace<'_>, key: &[u8], empty: bool, command: &'static str) {
    ks.written(key, command);
    if empty {
        ks.delete(key);
    }
}

fn lpush(e: &mut Engine, call: &mut Call) -> Reply {
    answer(push(e, call, End::Left, false, "lpush"))
}

fn rpush(e: &mut Engine, call: &mut Call) -> Reply {
    answer(push(e, call, End::Right, false, "rpush"))
}

fn lpushx(e: &mut Engine, call: &mut Call) -> Reply {
    answer(push(e, call, End::Left, true, "lpushx"))
}

fn rpushx(e: &mut Engine, call: &mut Call) -> Reply {
    answer(push(e, call, End::Right, true, "rpushx"))
}

/// Redis's `pushGenericCommand`: each value in turn at `end` (so LPUSH a b
/// leaves b first), creating the list unless `only_existing` (the X
/// forms answer 0 for a missing key); the reply is the new length.
fn push(
    e: &mut Engine,
    call: &mut Call,
    end: End,
    only_existing: bool,
    command: &'static str,
) -> Result<Reply, Reply> {
    let values: Vec<Vec<u8>> = call.argv.drain(2..).collect();
    let key = call.arg(1);
    let mut ks = e.keyspace(call.client);
    if ks.get_as(key, Value::as_list)?.is_none() && only_existing {
        return Ok(Reply::Integer(0));
    }
    let list = ks.get_or_create(key, Value::new_list, Value::as_list_mut)?;
    for value in values {
        list.push(end, value);
    }
    let len = list.len();
    ks.written(key, command);
    Ok(len_reply(len))
}

fn lpop(e: &mut Engine, call: &mut Call) -> Reply {
    answer(pop(e, call, End::Left, "lpop"))
}

fn rpop(e: &mut Engine, call: &mut Call) -> Reply {
    answer(pop(e, call, End::Right, "rpop"))
}

/// Redis's `popGenericCommand`. Without a count: one element as a bulk
/// string, nil for a missing key. With one: the count is read first (a
/// negative or non-integer count is "must be positive"), a missing key is
/// a nil array, a count of 0 an empty array, otherwise up to that many.
fn pop(e: &mut Engine, call: &mut Call, end: End, command: &'static str) -> Result<Reply, Reply> {
    if call.argv.len() > 3 {
        return Err(errors::wrong_arity(command));
    }
    let count = match call.argv.get(2) {
        Some(arg) => Some(long_at_least(
            arg,
            0,
            "value is out of range, must be positive",
        )?),
        None => None,
    };
    let key = call.arg(1);
    let mut ks = e.keyspace(call.client);
    let Some(list) = ks.get_as_mut(key, Value::as_list_mut)? else {
        return Ok(if count.is_some() {
            Reply::NilArray
        } else {
            Reply::Nil
        });
    };
    let reply = match count {
        Some(0) => return Ok(Reply::Array(Vec::new())),
        Some(n) => bulks(list.pop_many(end, usize::try_from(n).unwrap_or(usize::MAX))),
        None => list.pop(end).map_or(Reply::Nil, Reply::Bulk),
    };
    let empty = list.is_empty();
    changed(&mut ks, key, empty, command);
    Ok(reply)
}

/// LMPOP numkeys key [key ...] LEFT|RIGHT [COUNT count] (Redis's
/// `lmpopGenericCommand` and `mpopGenericCommand`): pops from the first
/// key holding a list; the reply is `[key, [elements]]`, or a nil array
/// when every key is missing. A key of another type met before a list is
/// WRONGTYPE.
fn lmpop(e: &mut Engine, call: &mut Call) -> Reply {
    answer(lmpop_inner(e, call))
}

fn lmpop_inner(e: &mut Engine, call: &mut Call) -> Result<Reply, Reply> {
    let argc = call.argv.len();
    let numkeys = long_at_least(call.arg(1), 1, "numkeys should be greater than 0")?;
    // The keys are argv[2..2 + numkeys], then LEFT|RIGHT.
    let where_at = usize::try_from(numkeys)
        .ok()
        .and_then(|n| n.checked_add(2))
        .filter(|&i| i < argc)
        .ok_or_else(errors::syntax)?;
    let end = end_arg(call.arg(where_at))?;
    let mut count = None;
    let mut j = where_at + 1;
    while j < argc {
        if count.is_none() && is(call.arg(j), "count") && j + 1 < argc {
            j += 1;
            count = Some(long_at_least(
                call.arg(j),
                1,
                "count should be greater than 0",
            )?);
        } else {
            return Err(errors::syntax());
        }
        j += 1;
    }
    let count = usize::try_from(count.unwrap_or(1)).unwrap_or(usize::MAX);
    let mut ks = e.keyspace(call.client);
    for key in &call.argv[2..where_at] {
        let Some(list) = ks.get_as_mut(key, Value::as_list_mut)? else {
            continue;
        };
        let items = list.pop_many(end, count);
        let empty = list.is_empty();
        changed(&mut ks, key, empty, "lmpop");
        return Ok(Reply::Array(vec![Reply::Bulk(key.clone()), bulks(items)]));
    }
    Ok(Reply::NilArray)
}

/// LRANGE key start stop: both indexes are read before the key.
fn lrange(e: &mut Engine, call: &mut Call) -> Reply {
    answer(lrange_inner(e, call))
}

fn lrange_inner(e: &mut Engine, call: &mut Call) -> Result<Reply, Reply> {
    let start = long(call.arg(2))?;
    let end = long(call.arg(3))?;
    let mut ks = e.keyspace(call.client);
    let Some(list) = ks.get_as(call.arg(1), Value::as_list)? else {
        return Ok(Reply::Array(Vec::new()));
    };
    Ok(match clamp_range(start, end, list.len()) {
        Some((start, end)) => bulks(list.range(start, end).map(<[u8]>::to_vec)),
        None => Reply::Array(Vec::new()),
    })
}

/// LINDEX key index: the key first (a missing key is nil whatever the
/// index), then the index; outside the list is nil.
fn lindex(e: &mut Engine, call: &mut Call) -> Reply {
    answer(lindex_inner(e, call))
}

fn lindex_inner(e: &mut Engine, call: &mut Call) -> Result<Reply, Reply> {
    let mut ks = e.keyspace(call.client);
    let Some(list) = ks.get_as(call.arg(1), Value::as_list)? else {
        return Ok(Reply::Nil);
    };
    let i = long(call.arg(2))?;
    Ok(index(i, list.len())
        .and_then(|i| list.get(i))
        .map_or(Reply::Nil, Reply::bulk))
}

fn llen(e: &mut Engine, call: &mut Call) -> Reply {
    let mut ks = e.keyspace(call.client);
    match ks.get_as(call.arg(1), Value::as_list) {
        Ok(list) => len_reply(list.map_or(0, List::len)),
        Err(err) => err,
    }
}

/// LSET key index element: `ERR no such key` for a missing key, then the
/// type, then the index (`ERR index out of range` outside the list).
fn lset(e: &mut Engine, call: &mut Call) -> Reply {
    answer(lset_inner(e, call))
}

fn lset_inner(e: &mut Engine, call: &mut Call) -> Result<Reply, Reply> {
    let value = mem::take(&mut call.argv[3]);
    let key = call.arg(1);
    let mut ks = e.keyspace(call.client);
    let list = ks
        .get_as_mut(key, Value::as_list_mut)?
        .ok_or_else(errors::no_such_key)?;
    let i = long(call.arg(2))?;
    match index(i, list.len()) {
        Some(i) if list.set(i, value) => {
            ks.written(key, "lset");
            Ok(Reply::ok())
        }
        _ => Err(Reply::error("ERR index out of range")),
    }
}

/// LINSERT key BEFORE|AFTER pivot element: the word is checked first; a
/// missing key is 0, a missing pivot -1, otherwise the new length.
fn linsert(e: &mut Engine, call: &mut Call) -> Reply {
    answer(linsert_inner(e, call))
}

fn linsert_inner(e: &mut Engine, call: &mut Call) -> Result<Reply, Reply> {
    let after = if is(call.arg(2), "after") {
        true
    } else if is(call.arg(2), "before") {
        false
    } else {
        return Err(errors::syntax());
    };
    let value = mem::take(&mut call.argv[4]);
    let key = call.arg(1);
    let mut ks = e.keyspace(call.client);
    let Some(list) = ks.get_as_mut(key, Value::as_list_mut)? else {
        return Ok(Reply::Integer(0));
    };
    let Some(at) = list.find(call.arg(3)) else {
        return Ok(Reply::Integer(-1));
    };
    list.insert(if after { at + 1 } else { at }, value);
    let len = list.len();
    ks.written(key, "linsert");
    Ok(len_reply(len))
}

/// LREM key count element: count > 0 removes that many from the left,
/// count < 0 that many from the right, 0 all of them. As in Redis's C,
/// negating i64::MIN leaves it negative, so that count removes all.
fn lrem(e: &mut Engine, call: &mut Call) -> Reply {
    answer(lrem_inner(e, call))
}

fn lrem_inner(e: &mut Engine, call: &mut Call) -> Result<Reply, Reply> {
    let count = long(call.arg(2))?;
    let key = call.arg(1);
    let mut ks = e.keyspace(call.client);
    let Some(list) = ks.get_as_mut(key, Value::as_list_mut)? else {
        return Ok(Reply::Integer(0));
    };
    let from = if count < 0 { End::Right } else { End::Left };
    let limit = match count {
        0 | i64::MIN => None,
        n => Some(n.unsigned_abs()),
    };
    let removed = list.remove(call.arg(3), limit, from);
    let empty = list.is_empty();
    if removed > 0 {
        changed(&mut ks, key, empty, "lrem");
    }
    Ok(Reply::Integer(i64::try_from(removed).unwrap_or(i64::MAX)))
}

/// LTRIM key start stop: keeps the range LRANGE would answer; an empty
/// range deletes the key. OK for a missing key.
fn ltrim(e: &mut Engine, call: &mut Call) -> Reply {
    answer(ltrim_inner(e, call))
}

fn ltrim_inner(e: &mut Engine, call: &mut Call) -> Result<Reply, Reply> {
    let start = long(call.arg(2))?;
    let end = long(call.arg(3))?;
    let key = call.arg(1);
    let mut ks = e.keyspace(call.client);
    let Some(list) = ks.get_as_mut(key, Value::as_list_mut)? else {
        return Ok(Reply::ok());
    };
    let len = list.len();
    let (left, right) = match clamp_range(start, end, len) {
        Some((start, end)) => (start, len - end - 1),
        None => (len, 0),
    };
    list.trim(left, right);
    let empty = list.is_empty();
    // A write even when nothing goes, as Redis signals and notifies it.
    changed(&mut ks, key, empty, "ltrim");
    Ok(Reply::ok())
}

/// LPOS key element [RANK rank] [COUNT num] [MAXLEN len] (Redis's
/// `lposCommand`): options are read before the key. RANK n starts at the
/// n-th match, negative from the right; COUNT answers an array of up to
/// that many positions (0: all); MAXLEN bounds how many elements are
/// compared (0: all). As in Redis's C, RANK i64::MIN stays negative when
/// negated: it takes the first match from the right and makes COUNT's
/// stop test overflow, so every match from there on is answered.
fn lpos(e: &mut Engine, call: &mut Call) -> Reply {
    answer(lpos_inner(e, call))
}

fn lpos_inner(e: &mut Engine, call: &mut Call) -> Result<Reply, Reply> {
    let argc = call.argv.len();
    let mut rank: i64 = 1;
    let mut count: Option<i64> = None;
    let mut maxlen: i64 = 0;
    let mut j = 3;
    while j < argc {
        let opt = call.arg(j);
        let more = j + 1 < argc;
        if is(opt, "rank") && more {
            j += 1;
            rank = long(call.arg(j))?;
            if rank == 0 {
                return Err(Reply::error(
                    "ERR RANK can't be zero: use 1 to start from the first match, 2 from the \
                     second ... or use negative to start from the end of the list",
                ));
            }
        } else if is(opt, "count") && more {
            j += 1;
            count = Some(long_at_least(call.arg(j), 0, "COUNT can't be negative")?);
        } else if is(opt, "maxlen") && more {
            j += 1;
            maxlen = long_at_least(call.arg(j), 0, "MAXLEN can't be negative")?;
        } else {
            return Err(errors::syntax());
        }
        j += 1;
    }
    let from = if rank < 0 { End::Right } else { End::Left };
    if rank < 0 {
        rank = rank.wrapping_neg();
    }
    let mut ks = e.keyspace(call.client);
    let Some(list) = ks.get_as(call.arg(1), Value::as_list)? else {
        return Ok(if count.is_some() {
            Reply::Array(Vec::new())
        } else {
            Reply::Nil
        });
    };
    let element = call.arg(2);
    let len = list.len();
    let mut matches: i64 = 0;
    let mut found = Vec::new();
    for step in 0..len {
        if maxlen != 0 && i64::try_from(step).unwrap_or(i64::MAX) >= maxlen {
            break;
        }
        let at = match from {
            End::Left => step,
            End::Right => len - 1 - step,
        };
        if list.get(at) != Some(element) {
            continue;
        }
        matches += 1;
        if matches >= rank {
            found.push(Reply::Integer(i64::try_from(at).unwrap_or(i64::MAX)));
            match count {
                None => break,
                Some(c) if c != 0 && matches.wrapping_sub(rank).wrapping_add(1) >= c => break,
                Some(_) => {}
            }
        }
    }
    Ok(match count {
        Some(_) => Reply::Array(found),
        None => found.pop().unwrap_or(Reply::Nil),
    })
}

fn lmove(e: &mut Engine, call: &mut Call) -> Reply {
    answer(end_arg(call.arg(3)).and_then(|from| {
        let to = end_arg(call.arg(4))?;
        move_one(e, call, from, to, "lmove")
    }))
}

fn rpoplpush(e: &mut Engine, call: &mut Call) -> Reply {
    answer(move_one(e, call, End::Right, End::Left, "rpoplpush"))
}

/// Redis's `lmoveGenericCommand`: pops from the source's `from` end and
/// pushes at the destination's `to` end, answering the element (nil for a
/// missing source). The destination's type is checked before anything is
/// popped. Source and destination may be the same list (a rotation); a
/// source the move emptied is deleted.
fn move_one(
    e: &mut Engine,
    call: &mut Call,
    from: End,
    to: End,
    command: &'static str,
) -> Result<Reply, Reply> {
    let (src, dst) = (call.arg(1), call.arg(2));
    let mut ks = e.keyspace(call.client);
    move_element(&mut ks, src, dst, from, to, Some(command))
}

/// The move itself, for LMOVE and RPOPLPUSH (`command`: recorded as one
/// write of each key, once for a rotation) and for a served BLMOVE or
/// BRPOPLPUSH (`None`: recorded as the push onto the destination, then
/// the pop from the source, which is what Redis announces for them).
pub(crate) fn move_element(
    ks: &mut Keyspace<'_>,
    src: &[u8],
    dst: &[u8],
    from: End,
    to: End,
    command: Option<&'static str>,
) -> Result<Reply, Reply> {
    if ks.get_as(src, Value::as_list)?.is_none() {
        return Ok(Reply::Nil);
    }
    ks.get_as(dst, Value::as_list)?;
    let Some(value) = ks
        .get_as_mut(src, Value::as_list_mut)?
        .and_then(|list| list.pop(from))
    else {
        return Ok(Reply::Nil); // not reached: Redis never keeps an empty list
    };
    let reply = Reply::Bulk(value.clone());
    let dest = ks.get_or_create(dst, Value::new_list, Value::as_list_mut)?;
    dest.push(to, value);
    let (push, pop) = match command {
        Some(c) if src == dst => {
            ks.written(src, c);
            return Ok(reply);
        }
        Some(c) => (c, c),
        None => (
            crate::blocking::push_name(to),
            crate::blocking::pop_name(from),
        ),
    };
    ks.written(dst, push);
    let empty = ks.get_as(src, Value::as_list)?.is_none_or(List::is_empty);
    changed(ks, src, empty, pop);
    Ok(reply)
}

#[cfg(test)]
#[path = "lists_tests.rs"]
mod tests;
