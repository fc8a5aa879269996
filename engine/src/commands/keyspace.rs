//! Whole-keyspace commands (Redis's `db.c` and `object.c`): SCAN,
//! RANDOMKEY, COPY, MOVE, SWAPDB, OBJECT.

use super::{arg_is, errors, num, parse_cursor, scan_options, scan_reply, Call, Handler};
use crate::db::{lfu_decayed, Lfu, StrEnc};
use crate::engine::{Engine, DATABASES};
use crate::event::{Event, Removal};
use crate::reply::Reply;
use crate::value::Value;

pub const HANDLERS: &[(&str, Handler)] = &[
    ("copy", copy),
    ("move", move_),
    ("object", object),
    ("randomkey", randomkey),
    ("scan", scan),
    ("swapdb", swapdb),
];

/// SCAN cursor [MATCH pattern] [COUNT count] [TYPE type]. The cursor is
/// the sequence number of the next key to visit (see `db.rs`); keys past
/// their expiry are removed on the way, as Redis's `expireIfNeeded` does.
fn scan(e: &mut Engine, call: &mut Call) -> Reply {
    let Some(cursor) = parse_cursor(call.arg(1)) else {
        return Reply::error("ERR invalid cursor");
    };
    let o = match scan_options(&call.argv[2..], true) {
        Ok(o) => o,
        Err(err) => return err,
    };
    let ks = e.keyspace(call.client);
    let (next, candidates) = ks.db.scan(cursor, o.count);
    let mut keys = Vec::new();
    for key in candidates {
        if !o.matches(&key) {
            continue;
        }
        if let Some(t) = o.type_name {
            let actual = ks.db.peek(&key).map_or("none", Value::type_name);
            if !arg_is(t, actual) {
                continue;
            }
        }
        if ks.db.expire_if_needed(&key, ks.now, ks.events) {
            continue;
        }
        keys.push(Reply::Bulk(key));
    }
    scan_reply(next, keys)
}

/// RANDOMKEY: a key at random, dropping expired ones it lands on, as
/// Redis's `dbRandomKey` does; nil on an empty database.
fn randomkey(e: &mut Engine, call: &mut Call) -> Reply {
    let index = e.clients.get(&call.client).map_or(0, |c| c.db);
    loop {
        let Some(key) = e.dbs[index].random_key(&mut e.rng) else {
            return Reply::Nil;
        };
        let ks = e.keyspace_of(index);
        if !ks.db.expire_if_needed(&key, ks.now, ks.events) {
            return Reply::Bulk(key);
        }
    }
}

/// Redis's `getIntFromObjectOrReply` with its default messages.
fn db_arg(text: &[u8]) -> Result<i64, Reply> {
    let n = num::parse_i64(text).ok_or_else(errors::not_integer)?;
    if i32::try_from(n).is_err() {
        return Err(Reply::error(
            "ERR value is out of range, value must between -2147483648 and 2147483647",
        ));
    }
    Ok(n)
}

/// A database index in range, or Redis's error.
fn db_index(n: i64) -> Result<usize, Reply> {
    usize::try_from(n)
        .ok()
        .filter(|&i| i < DATABASES)
        .ok_or_else(|| Reply::error("ERR DB index is out of range"))
}

fn same_object() -> Reply {
    Reply::error("ERR source and destination objects are the same")
}

fn client_db(e: &Engine, call: &Call) -> usize {
    e.clients.get(&call.client).map_or(0, |c| c.db)
}

/// COPY source destination [DB destination-db] [REPLACE]: the value and
/// its TTL; the copy is a new object (a shared integer's copy is not
/// shared) with a fresh access time.
fn copy(e: &mut Engine, call: &mut Call) -> Reply {
    let src_db = client_db(e, call);
    let mut dst_db = src_db;
    let mut replace = false;
    let mut i = 3;
    while i < call.argv.len() {
        let opt = call.arg(i);
        if opt.eq_ignore_ascii_case(b"replace") {
            replace = true;
        } else if opt.eq_ignore_ascii_case(b"db") && i + 1 < call.argv.len() {
            dst_db = match db_arg(call.arg(i + 1)).and_then(db_index) {
                Ok(d) => d,
                Err(err) => return err,
            };
            i += 1;
        } else {
            return errors::syntax();
        }
        i += 1;
    }
    let (src, dst) = (call.arg(1).to_vec(), call.arg(2).to_vec());
    if src_db == dst_db && src == dst {
        return same_object();
    }
    let mut ks = e.keyspace_of(src_db);
    let Some(value) = ks.get(&src).cloned() else {
        return Reply::Integer(0);
    };
    let at = ks.expire_at(&src);
    let mut meta = *ks.db.meta(&src).expect("a live key has a header");
    let mut ks = e.keyspace_of(dst_db);
    ks.looked_up(); // the destination is a write lookup: no keymiss
    if ks.get(&dst).is_some() {
        if !replace {
            return Reply::Integer(0);
        }
        ks.delete(&dst);
    }
    if meta.enc == StrEnc::SharedInt {
        meta.enc = StrEnc::Int;
    }
    meta.access = ks.now;
    ks.db.set_with_meta(&dst, value, meta);
    if let Some(at) = at {
        ks.db.set_expire(&dst, at);
    }
    ks.written(&dst, "copy");
    Reply::Integer(1)
}

/// MOVE key db: to another database, with its TTL, unless the key is
/// there already.
fn move_(e: &mut Engine, call: &mut Call) -> Reply {
    let dst_db = match db_arg(call.arg(2)).and_then(db_index) {
        Ok(d) => d,
        Err(err) => return err,
    };
    let src_db = client_db(e, call);
    if src_db == dst_db {
        return same_object();
    }
    let key = call.arg(1).to_vec();
    if !e.keyspace_of(src_db).exists(&key) {
        return Reply::Integer(0);
    }
    if e.keyspace_of(dst_db).exists(&key) {
        return Reply::Integer(0);
    }
    let ks = e.keyspace_of(src_db);
    let at = ks.expire_at(&key);
    let Some((value, meta)) = ks.db.remove_entry(&key) else {
        return Reply::Integer(0);
    };
    ks.events.push(Event::Removed {
        db: src_db,
        key: key.clone(),
        cause: Removal::Deleted,
    });
    let mut ks = e.keyspace_of(dst_db);
    ks.db.set_with_meta(&key, value, meta);
    if let Some(at) = at {
        ks.db.set_expire(&key, at);
    }
    ks.written(&key, "move");
    Reply::Integer(1)
}

/// SWAPDB index1 index2: the two databases trade contents; clients stay
/// on their index and see the other data.
fn swapdb(e: &mut Engine, call: &mut Call) -> Reply {
    let parse = |text: &[u8], msg: &str| {
        num::parse_i64(text)
            .filter(|n| i32::try_from(*n).is_ok())
            .ok_or_else(|| Reply::error(msg))
    };
    let a = match parse(call.arg(1), "ERR invalid first DB index") {
        Ok(n) => n,
        Err(err) => return err,
    };
    let b = match parse(call.arg(2), "ERR invalid second DB index") {
        Ok(n) => n,
        Err(err) => return err,
    };
    let (Ok(a), Ok(b)) = (db_index(a), db_index(b)) else {
        return Reply::error("ERR DB index is out of range");
    };
    if a != b {
        // WATCHed keys in either database change (tx.rs).
        crate::tx::touch_db(e, call.client, a, Some(b));
        crate::tx::touch_db(e, call.client, b, Some(a));
        e.dbs.swap(a, b);
        e.dbs[a].index = a;
        e.dbs[b].index = b;
        e.swapped_dbs(a, b); // keys blocked clients wait on may now exist
        for index in [a, b] {
            e.events.push(Event::Flushed { db: index });
            let keys: Vec<Vec<u8>> = e.dbs[index].raw_keys().map(|(k, _)| k.to_vec()).collect();
            for key in keys {
                e.events.record(|| Event::Written {
                    db: index,
                    key,
                    command: "swapdb",
                });
            }
        }
        // The WATCHes were settled above (touch_db), and SWAPDB
        // invalidates no key tracked for client-side caching.
        e.events.take_touched();
    }
    Reply::ok()
}

const OBJECT_HELP: &[&str] = &[
    "OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "ENCODING <key>",
    "    Return the kind of internal representation used in order to store the value",
    "    associated with a <key>.",
    "FREQ <key>",
    "    Return the access frequency index of the <key>. The returned integer is",
    "    proportional to the logarithm of the recent access frequency of the key.",
    "IDLETIME <key>",
    "    Return the idle time of the <key>, that is the approximated number of",
    "    seconds elapsed since the last access to the key.",
    "REFCOUNT <key>",
    "    Return the number of references of the value associated with the specified",
    "    <key>.",
    "HELP",
    "    Prints this help.",
];

/// OBJECT ENCODING|REFCOUNT|IDLETIME|FREQ key, OBJECT HELP. The lookups
/// do not count as accesses; a missing key is nil. Dispatch has checked
/// the subcommand and its arity.
fn object(e: &mut Engine, call: &mut Call) -> Reply {
    let sub = call.arg(1).to_ascii_lowercase();
    if sub == b"help" {
        return Reply::Array(
            OBJECT_HELP
                .iter()
                .map(|l| Reply::Status(l.to_string()))
                .collect(),
        );
    }
    let lfu = e.config.lfu();
    let lfu_params = Lfu {
        log_factor: e.config.lfu_log_factor as u64,
        decay_time: e.config.lfu_decay_time as u64,
    };
    let mut ks = e.keyspace(call.client);
    let key = call.arg(2);
    if !ks.exists(key) {
        return Reply::Nil;
    }
    let (Some(value), Some(meta)) = (ks.db.peek(key), ks.db.meta(key)) else {
        return Reply::Nil;
    };
    match sub.as_slice() {
        b"encoding" => Reply::bulk(encoding(value, meta.enc)),
        b"refcount" => Reply::Integer(if meta.enc == StrEnc::SharedInt {
            i64::from(i32::MAX)
        } else {
            1
        }),
        b"idletime" if lfu => Reply::error(
            "ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.",
        ),
        // Redis's LRU clock counts whole seconds.
        b"idletime" => Reply::Integer((ks.now / 1000).saturating_sub(meta.access / 1000) as i64),
        b"freq" if !lfu => Reply::error(
            "ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.",
        ),
        b"freq" => Reply::Integer(i64::from(lfu_decayed(meta, ks.now, lfu_params))),
        _ => errors::unknown_subcommand("object", call.arg(1)),
    }
}

/// What OBJECT ENCODING answers for a value.
fn encoding(value: &Value, enc: StrEnc) -> &'static str {
    match value {
        Value::Str(s) => match enc {
            StrEnc::Int | StrEnc::SharedInt => "int",
            StrEnc::Embstr => "embstr",
            StrEnc::Raw => "raw",
            StrEnc::Fresh => match super::string_encoding(s, false) {
                StrEnc::Embstr => "embstr",
                StrEnc::Raw => "raw",
                _ => "int",
            },
        },
        Value::Hash(h) => h.encoding(),
        Value::List(l) => l.encoding(),
        Value::Set(s) => s.encoding(),
        Value::ZSet(z) => z.encoding(),
        Value::Stream(_) => "stream",
    }
}

#[cfg(test)]
#[path = "keyspace_tests.rs"]
mod tests;
