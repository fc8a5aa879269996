//! Hash commands (Redis's `t_hash.c`): HSET HSETNX HMSET HGET HMGET
//! HGETALL HKEYS HVALS HLEN HEXISTS HSTRLEN HDEL, the counters HINCRBY and
//! HINCRBYFLOAT, HRANDFIELD and HSCAN. The data structure and its two
//! encodings live in [`crate::types::hash`].

use std::mem;

use super::num::{self, LongDouble};
use super::{c_str, errors, parse_cursor, scan_options, scan_reply, Call, Handler, Keyspace};
use crate::engine::{ClientId, Engine};
use crate::reply::Reply;
use crate::rng::Rng;
use crate::types::Hash;
use crate::value::Value;

pub const HANDLERS: &[(&str, Handler)] = &[
    ("hdel", hdel),
    ("hexists", hexists),
    ("hget", hget),
    ("hgetall", hgetall),
    ("hincrby", hincrby),
    ("hincrbyfloat", hincrbyfloat),
    ("hkeys", hkeys),
    ("hlen", hlen),
    ("hmget", hmget),
    ("hmset", hmset),
    ("hrandfield", hrandfield),
    ("hscan", hscan),
    ("hset", hset),
    ("hsetnx", hsetnx),
    ("hstrlen", hstrlen),
    ("hvals", hvals),
];

/// HRANDFIELD with a negative count repeats picks without bound, and Redis
/// builds whatever reply is asked for; here a reply of more picks than
/// this is refused with the out-of-memory error rather than exhausting a
/// browser tab.
const MAX_RANDOM_PICKS: u64 = 1 << 20;

fn bulks<'a>(items: impl Iterator<Item = &'a [u8]>) -> Reply {
    Reply::Array(items.map(|b| Reply::Bulk(b.to_vec())).collect())
}

/// Field-value pairs as one flat array (RESP2's map).
fn flat_pairs<'a>(pairs: impl Iterator<Item = (&'a [u8], &'a [u8])>) -> Reply {
    let mut out = Vec::new();
    for (f, v) in pairs {
        out.push(Reply::Bulk(f.to_vec()));
        out.push(Reply::Bulk(v.to_vec()));
    }
    Reply::Array(out)
}

/// Runs `read` on the hash at the key: `missing` if there is none,
/// WRONGTYPE if the key holds another type.
fn read(e: &mut Engine, call: &Call, missing: Reply, read: impl FnOnce(&Hash) -> Reply) -> Reply {
    let mut ks = e.keyspace(call.client);
    match ks.get_as(call.arg(1), Value::as_hash) {
        Ok(Some(hash)) => read(hash),
        Ok(None) => missing,
        Err(err) => err,
    }
}

fn hset(e: &mut Engine, call: &mut Call) -> Reply {
    match hset_generic(e, call, "hset") {
        Ok(added) => Reply::Integer(added),
        Err(err) => err,
    }
}

fn hmset(e: &mut Engine, call: &mut Call) -> Reply {
    hset_generic(e, call, "hmset").map_or_else(|err| err, |_| Reply::ok())
}

/// HSET and HMSET: the pairs must be complete (an error naming the
/// command, as the table's arity cannot say "even"). A listpack turns into
/// a hashtable first if any argument is too long for it (Redis's
/// `hashTypeTryConversion`). Answers the number of new fields.
fn hset_generic(e: &mut Engine, call: &mut Call, command: &'static str) -> Result<i64, Reply> {
    if call.argv.len() % 2 == 1 {
        return Err(errors::wrong_arity(command));
    }
    let client = call.client;
    let (head, pairs) = call.argv.split_at_mut(2);
    let key = head[1].as_slice();
    let mut ks = e.keyspace(client);
    let limits = ks.hash_limits();
    let hash = ks.get_or_create(key, Value::new_hash, Value::as_hash_mut)?;
    hash.convert_for_within(pairs.iter().map(Vec::as_slice), limits);
    let mut added = 0;
    // The argument vector is spent once the command runs: move the bytes.
    for pair in pairs.chunks_exact_mut(2) {
        if hash.insert_within(mem::take(&mut pair[0]), mem::take(&mut pair[1]), limits) {
            added += 1;
        }
    }
    ks.written(key, command);
    Ok(added)
}

/// Sets the field only if it is missing: 1 if set, 0 if it was there. An
/// existing field leaves the hash as it was, encoding included.
fn hsetnx(e: &mut Engine, call: &mut Call) -> Reply {
    let client = call.client;
    let value = mem::take(&mut call.argv[3]);
    let key = call.arg(1);
    let field = call.arg(2);
    let mut ks = e.keyspace(client);
    let limits = ks.hash_limits();
    let hash = match ks.get_or_create(key, Value::new_hash, Value::as_hash_mut) {
        Ok(hash) => hash,
        Err(err) => return err,
    };
    if hash.contains(field) {
        return Reply::Integer(0);
    }
    hash.insert_within(field.to_vec(), value, limits);
    ks.written(key, "hsetnx");
    Reply::Integer(1)
}

fn hget(e: &mut Engine, call: &mut Call) -> Reply {
    read(e, call, Reply::Nil, |h| {
        h.get(call.arg(2))
            .map_or(Reply::Nil, |v| Reply::Bulk(v.to_vec()))
    })
}

/// One value or nil per field; a missing key answers all nils.
fn hmget(e: &mut Engine, call: &mut Call) -> Reply {
    let fields = &call.argv[2..];
    let missing = Reply::Array(vec![Reply::Nil; fields.len()]);
    read(e, call, missing, |h| {
        Reply::Array(
            fields
                .iter()
                .map(|f| h.get(f).map_or(Reply::Nil, |v| Reply::Bulk(v.to_vec())))
                .collect(),
        )
    })
}

fn hgetall(e: &mut Engine, call: &mut Call) -> Reply {
    read(e, call, Reply::Array(Vec::new()), |h| flat_pairs(h.iter()))
}

fn hkeys(e: &mut Engine, call: &mut Call) -> Reply {
    read(e, call, Reply::Array(Vec::new()), |h| {
        bulks(h.iter().map(|(f, _)| f))
    })
}

fn hvals(e: &mut Engine, call: &mut Call) -> Reply {
    read(e, call, Reply::Array(Vec::new()), |h| {
        bulks(h.iter().map(|(_, v)| v))
    })
}

fn hlen(e: &mut Engine, call: &mut Call) -> Reply {
    read(e, call, Reply::Integer(0), |h| {
        Reply::Integer(h.len() as i64)
    })
}

fn hexists(e: &mut Engine, call: &mut Call) -> Reply {
    read(e, call, Reply::Integer(0), |h| {
        Reply::Integer(i64::from(h.contains(call.arg(2))))
    })
}

/// The length of a field's value, 0 if the field or key is missing.
fn hstrlen(e: &mut Engine, call: &mut Call) -> Reply {
    read(e, call, Reply::Integer(0), |h| {
        Reply::Integer(h.get(call.arg(2)).map_or(0, |v| v.len() as i64))
    })
}

/// Deletes fields, answering how many were there; the key goes with its
/// last field.
fn hdel(e: &mut Engine, call: &mut Call) -> Reply {
    let key = call.arg(1);
    let mut ks = e.keyspace(call.client);
    let hash = match ks.get_as_mut(key, Value::as_hash_mut) {
        Ok(Some(hash)) => hash,
        Ok(None) => return Reply::Integer(0),
        Err(err) => return err,
    };
    let mut deleted = 0;
    for field in &call.argv[2..] {
        if hash.remove(field) {
            deleted += 1;
            if hash.is_empty() {
                break;
            }
        }
    }
    let emptied = hash.is_empty();
    if deleted > 0 {
        ks.written(key, "hdel");
        if emptied {
            ks.delete(key);
        }
    }
    Reply::Integer(deleted)
}

/// The current value of the field for a counter: `None` if the key or
/// field is missing.
fn counter_value(e: &mut Engine, call: &Call) -> Result<Option<Vec<u8>>, Reply> {
    let mut ks = e.keyspace(call.client);
    let hash = ks.get_as(call.arg(1), Value::as_hash)?;
    Ok(hash.and_then(|h| h.get(call.arg(2))).map(<[u8]>::to_vec))
}

/// Stores a counter's new value, creating the key if needed.
fn store(e: &mut Engine, call: &Call, value: Vec<u8>, command: &'static str) -> Result<(), Reply> {
    let key = call.arg(1);
    let mut ks = e.keyspace(call.client);
    let limits = ks.hash_limits();
    let hash = ks.get_or_create(key, Value::new_hash, Value::as_hash_mut)?;
    hash.insert_within(call.arg(2).to_vec(), value, limits);
    ks.written(key, command);
    Ok(())
}

/// Adds an integer to the field (0 if missing). The increment is read
/// first, then the field, which must hold an integer.
fn hincrby(e: &mut Engine, call: &mut Call) -> Reply {
    let Some(incr) = num::parse_i64(call.arg(3)) else {
        return errors::not_integer();
    };
    let old = match counter_value(e, call) {
        Ok(Some(v)) => match num::parse_i64(&v) {
            Some(n) => n,
            None => return Reply::error("ERR hash value is not an integer"),
        },
        Ok(None) => 0,
        Err(err) => return err,
    };
    let Some(new) = old.checked_add(incr) else {
        return errors::overflow();
    };
    match store(e, call, num::i64_bytes(new), "hincrby") {
        Ok(()) => Reply::Integer(new),
        Err(err) => err,
    }
}

/// Adds a float to the field in 80-bit extended precision and stores the
/// sum as `%.17Lf` without trailing zeros, as INCRBYFLOAT does, with
/// HINCRBYFLOAT's own error texts: an infinite increment is refused before
/// the key is looked at.
fn hincrbyfloat(e: &mut Engine, call: &mut Call) -> Reply {
    let incr = match LongDouble::parse(call.arg(3)) {
        Some(incr) if incr.is_finite() => incr,
        Some(_) => return Reply::error("ERR value is NaN or Infinity"),
        None => return errors::not_float(),
    };
    let current = match counter_value(e, call) {
        Ok(Some(v)) => match LongDouble::parse(&v) {
            Some(v) => v,
            None => return Reply::error("ERR hash value is not a float"),
        },
        Ok(None) => LongDouble::ZERO,
        Err(err) => return err,
    };
    let sum = current + incr;
    if !sum.is_finite() {
        return errors::nan_or_infinity();
    }
    let text = sum.to_human().into_bytes();
    match store(e, call, text.clone(), "hincrbyfloat") {
        Ok(()) => Reply::Bulk(text),
        Err(err) => err,
    }
}

/// HRANDFIELD key [count [WITHVALUES]]. Without a count: one random field,
/// nil for a missing key. With one (checked before the key, as Redis
/// does): 0 answers an empty array; a negative count picks that many
/// times with repeats; a positive one picks distinct fields, the whole
/// hash (in its order) when the count reaches its length.
fn hrandfield(e: &mut Engine, call: &mut Call) -> Reply {
    let key = call.arg(1);
    if call.argv.len() == 2 {
        return with_rng(e, call.client, |ks, rng| {
            match ks.get_as(key, Value::as_hash) {
                Ok(Some(h)) => h
                    .random(rng)
                    .map_or(Reply::Nil, |(f, _)| Reply::Bulk(f.to_vec())),
                Ok(None) => Reply::Nil,
                Err(err) => err,
            }
        });
    }
    let count = match num::parse_i64(call.arg(2)) {
        None => return errors::not_integer(),
        Some(i64::MIN) => return Reply::error(COUNT_RANGE),
        Some(n) => n,
    };
    let with_values = call.argv.len() == 4;
    if call.argv.len() > 4
        || (with_values && !c_str(call.arg(3)).eq_ignore_ascii_case(b"withvalues"))
    {
        return errors::syntax();
    }
    // Twice the count must fit a C long.
    if with_values && !(-(i64::MAX / 2)..=i64::MAX / 2).contains(&count) {
        return Reply::error("ERR value is out of range");
    }
    with_rng(e, call.client, |ks, rng| {
        let hash = match ks.get_as(key, Value::as_hash) {
            Ok(Some(h)) => h,
            Ok(None) => return Reply::Array(Vec::new()),
            Err(err) => return err,
        };
        let picks: Vec<(&[u8], &[u8])> = if count >= 0 {
            hash.random_distinct(usize::try_from(count).unwrap_or(usize::MAX), rng)
        } else {
            let picks = count.unsigned_abs();
            if picks > MAX_RANDOM_PICKS {
                return errors::out_of_memory();
            }
            (0..picks).filter_map(|_| hash.random(rng)).collect()
        };
        if with_values {
            flat_pairs(picks.into_iter())
        } else {
            bulks(picks.into_iter().map(|(f, _)| f))
        }
    })
}

/// HRANDFIELD's count error (`getRangeLongFromObjectOrReply`, with Redis's
/// wording).
const COUNT_RANGE: &str =
    "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807";

/// Runs `f` on the client's keyspace with the engine's generator, which is
/// taken out of the engine meanwhile so that both can be borrowed.
fn with_rng(
    e: &mut Engine,
    client: ClientId,
    f: impl FnOnce(&mut Keyspace, &mut Rng) -> Reply,
) -> Reply {
    let mut rng = mem::replace(&mut e.rng, Rng::new(1));
    let reply = f(&mut e.keyspace(client), &mut rng);
    e.rng = rng;
    reply
}

/// HSCAN key cursor [MATCH pattern] [COUNT count]. The cursor is checked
/// first, then the key, then the options in order (an unknown one, one
/// without its value, or COUNT below 1 is a syntax error). MATCH filters
/// the page after it is taken, so a page may come back empty. See
/// [`Hash::scan`] for what the cursor means.
fn hscan(e: &mut Engine, call: &mut Call) -> Reply {
    let Some(cursor) = parse_cursor(call.arg(2)) else {
        return Reply::error("ERR invalid cursor");
    };
    let mut ks = e.keyspace(call.client);
    let hash = match ks.get_as(call.arg(1), Value::as_hash) {
        Ok(Some(h)) => h,
        Ok(None) => return scan_reply(0, Vec::new()),
        Err(err) => return err,
    };
    let o = match scan_options(&call.argv[3..], false) {
        Ok(o) => o,
        Err(err) => return err,
    };
    let (next, page) = hash.scan(cursor, o.count);
    let items = page
        .into_iter()
        .filter(|(f, _)| o.matches(f))
        .flat_map(|(f, v)| [Reply::Bulk(f.to_vec()), Reply::Bulk(v.to_vec())])
        .collect();
    scan_reply(next, items)
}

#[cfg(test)]
#[path = "hashes_tests.rs"]
mod tests;
