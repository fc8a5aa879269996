//! The stream family (Redis 7.0's `t_stream.c`): XADD XLEN XRANGE
//! XREVRANGE XDEL XTRIM XSETID XREAD. The structure lives in
//! `types/stream.rs`; blocking XREAD waits in `crate::blocking`.
//!
//! `*` IDs take the virtual clock's milliseconds (`Engine::now`), with
//! Redis's rule: past the last ID's time, sequence 0; otherwise the last
//! ID's sequence plus one. So a script replays the same IDs.

use super::{arg_is as is, c_str, errors, num, Call, Handler, Keyspace};
use crate::blocking::Op;
use crate::engine::Engine;
use crate::event::Event;
use crate::reply::Reply;
use crate::types::stream::{Fields, Limits, StreamId, Trim};
use crate::types::Stream;
use crate::value::Value;

pub const HANDLERS: &[(&str, Handler)] = &[
    ("xadd", xadd),
    ("xdel", xdel),
    ("xlen", xlen),
    ("xrange", xrange),
    ("xread", xread),
    ("xreadgroup", xreadgroup),
    ("xrevrange", xrevrange),
    ("xsetid", xsetid),
    ("xtrim", xtrim),
];

/// XREAD BLOCK's default COUNT (`XREAD_BLOCKED_DEFAULT_COUNT`).
const BLOCKED_DEFAULT_COUNT: usize = 1000;

pub(crate) fn answer(result: Result<Reply, Reply>) -> Reply {
    result.unwrap_or_else(|err| err)
}

pub(crate) fn invalid_id() -> Reply {
    Reply::error("ERR Invalid stream ID specified as stream command argument")
}

/// C's `strtoull` over a whole string (leading white space, a sign, at
/// least one digit, nothing after; a minus wraps around), as Redis's
/// `string2ull` falls back to it.
fn strtoull(s: &[u8]) -> Option<u64> {
    let start = s
        .iter()
        .position(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c))?;
    let s = &s[start..];
    let (neg, digits) = match s[0] {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let mut v: u64 = 0;
    for &d in digits {
        v = v.checked_mul(10)?.checked_add(u64::from(d - b'0'))?;
    }
    Some(if neg { v.wrapping_neg() } else { v })
}

/// Redis's `string2ull`: a canonical integer (negative refused), else
/// `strtoull`.
fn string2ull(s: &[u8]) -> Option<u64> {
    match num::parse_i64(s) {
        Some(v) if v < 0 => None,
        Some(v) => Some(v as u64),
        None => strtoull(s),
    }
}

/// How an ID argument is read (`streamGenericParseIDOrReply`).
#[derive(Clone, Copy)]
struct IdRules {
    /// Refuse `-` and `+`.
    strict: bool,
    /// The sequence when only milliseconds are given.
    missing_seq: u64,
    /// Accept `ms-*` (XADD), answering whether the sequence was given.
    seq_star: bool,
}

/// An ID argument: `-`, `+`, `ms` or `ms-seq` (or `ms-*`); the flag
/// says whether the sequence was given. Only the text up to a NUL
/// counts, as in C; over 127 bytes is invalid.
fn parse_id(arg: &[u8], rules: IdRules) -> Result<(StreamId, bool), Reply> {
    if arg.len() > 127 {
        return Err(invalid_id());
    }
    let s = c_str(arg);
    if s == b"-" || s == b"+" {
        if rules.strict {
            return Err(invalid_id());
        }
        let id = if s == b"-" {
            StreamId::MIN
        } else {
            StreamId::MAX
        };
        return Ok((id, true));
    }
    let (ms, seq) = match s.iter().position(|&b| b == b'-') {
        Some(dash) => (&s[..dash], Some(&s[dash + 1..])),
        None => (s, None),
    };
    let ms = string2ull(ms).ok_or_else(invalid_id)?;
    match seq {
        Some(b"*") if rules.seq_star => Ok((StreamId::new(ms, 0), false)),
        Some(seq) => {
            let seq = string2ull(seq).ok_or_else(invalid_id)?;
            Ok((StreamId::new(ms, seq), true))
        }
        None => Ok((StreamId::new(ms, rules.missing_seq), true)),
    }
}

/// A strict ID (no `-` / `+`), missing sequence 0.
pub(crate) fn strict_id(arg: &[u8]) -> Result<StreamId, Reply> {
    parse_id(
        arg,
        IdRules {
            strict: true,
            missing_seq: 0,
            seq_star: false,
        },
    )
    .map(|(id, _)| id)
}

/// A non-strict ID (`-` and `+` allowed), missing sequence 0.
pub(crate) fn parse_any_id(arg: &[u8]) -> Result<StreamId, Reply> {
    parse_id(
        arg,
        IdRules {
            strict: false,
            missing_seq: 0,
            seq_star: false,
        },
    )
    .map(|(id, _)| id)
}

/// `getLongLongFromObjectOrReply`.
pub(crate) fn long_long(arg: &[u8]) -> Result<i64, Reply> {
    num::parse_i64(arg).ok_or_else(errors::not_integer)
}

/// One entry as a reply: `[id, [field, value ...]]`.
pub(crate) fn entry_reply(id: StreamId, fields: &Fields) -> Reply {
    let mut flat = Vec::with_capacity(fields.len() * 2);
    for (f, v) in fields {
        flat.push(Reply::bulk(f.clone()));
        flat.push(Reply::bulk(v.clone()));
    }
    Reply::Array(vec![Reply::Bulk(id.to_bytes()), Reply::Array(flat)])
}

/// Records which entries a command added or removed, for the feed.
fn record_ids(
    ks: &mut Keyspace<'_>,
    key: &[u8],
    command: &'static str,
    added: Vec<StreamId>,
    removed: Vec<StreamId>,
) {
    let db = ks.db.index;
    ks.events.record(|| Event::StreamEntries {
        db,
        key: key.to_vec(),
        command,
        added,
        removed,
    });
}

/// XADD's and XTRIM's options (`streamAddTrimArgs`).
struct AddTrim {
    trim: Option<Trim>,
    approx: bool,
    limit: u64,
    nomkstream: bool,
    /// XADD's ID: `None` for `*`; the flag says whether the sequence
    /// was given (`ms-*` has it false).
    id: Option<(StreamId, bool)>,
    /// The index of the ID (XADD) or one past the options.
    next: usize,
}

/// The node limits CONFIG sets.
fn stream_limits(ks: &Keyspace<'_>) -> Limits {
    Limits {
        bytes: ks.config.stream_node_max_bytes,
        entries: ks.config.stream_node_max_entries,
    }
}

/// `streamParseAddOrTrimArgsOrReply`.
fn parse_add_trim(call: &Call, xadd: bool, limits: Limits) -> Result<AddTrim, Reply> {
    let argc = call.argv.len();
    let mut o = AddTrim {
        trim: None,
        approx: false,
        limit: 0,
        nomkstream: false,
        id: None,
        next: argc,
    };
    let mut limit_given = false;
    let mut i = 2;
    while i < argc {
        let more = argc - 1 - i;
        let opt = call.arg(i);
        if xadd && c_str(opt) == b"*" {
            break;
        } else if (is(opt, "maxlen") || is(opt, "minid")) && more > 0 {
            let maxlen = is(opt, "maxlen");
            if o.trim.is_some() {
                return Err(Reply::error(
                    "ERR syntax error, MAXLEN and MINID options at the same time are not compatible",
                ));
            }
            o.approx = false;
            let next = c_str(call.arg(i + 1));
            if more >= 2 && next == b"~" {
                o.approx = true;
                i += 1;
            } else if more >= 2 && next == b"=" {
                i += 1;
            }
            let value = call.arg(i + 1);
            o.trim = Some(if maxlen {
                let n = long_long(value)?;
                if n < 0 {
                    return Err(Reply::error("ERR The MAXLEN argument must be >= 0."));
                }
                Trim::MaxLen(n as u64)
            } else {
                Trim::MinId(strict_id(value)?)
            });
            i += 1;
        } else if is(opt, "limit") && more > 0 {
            let n = long_long(call.arg(i + 1))?;
            if n < 0 {
                return Err(Reply::error("ERR The LIMIT argument must be >= 0."));
            }
            o.limit = n as u64;
            limit_given = true;
            i += 1;
        } else if xadd && is(opt, "nomkstream") {
            o.nomkstream = true;
        } else if xadd {
            let parsed = parse_id(
                opt,
                IdRules {
                    strict: true,
                    missing_seq: 0,
                    seq_star: true,
                },
            )?;
            o.id = Some(parsed);
            break;
        } else {
            return Err(errors::syntax());
        }
        i += 1;
    }
    o.next = i;
    if o.limit != 0 && o.trim.is_none() {
        return Err(Reply::error(
            "ERR syntax error, LIMIT cannot be used without specifying a trimming strategy",
        ));
    }
    if !xadd && o.trim.is_none() {
        return Err(Reply::error(
            "ERR syntax error, XTRIM must be called with a trimming strategy",
        ));
    }
    if limit_given {
        if !o.approx {
            return Err(Reply::error(
                "ERR syntax error, LIMIT cannot be used without the special ~ option",
            ));
        }
    } else if o.approx {
        o.limit = limits.approx_limit();
    } else {
        o.limit = 0;
    }
    Ok(o)
}

/// The stream at `key` for writing: `Ok(None)` if missing.
pub(crate) fn stream_mut<'a>(
    ks: &'a mut Keyspace<'_>,
    key: &[u8],
) -> Result<Option<&'a mut Stream>, Reply> {
    ks.get_as_mut(key, Value::as_stream_mut)
}

/// XADD key [NOMKSTREAM] [MAXLEN|MINID [=|~] threshold [LIMIT count]]
/// *|id field value [field value ...]
fn xadd(e: &mut Engine, call: &mut Call) -> Reply {
    answer((|| {
        let o = parse_add_trim(call, true, stream_limits(&e.keyspace(call.client)))?;
        let field_pos = o.next + 1;
        let argc = call.argv.len();
        if argc < field_pos + 2 || (argc - field_pos) % 2 == 1 {
            return Err(errors::wrong_arity("xadd"));
        }
        if let Some((id, true)) = o.id {
            if id == StreamId::MIN {
                return Err(Reply::error(
                    "ERR The ID specified in XADD must be greater than 0-0",
                ));
            }
        }
        let key = call.arg(1).to_vec();
        let now = e.now;
        let mut ks = e.keyspace(call.client);
        let limits = stream_limits(&ks);
        let exists = ks.get_as(&key, Value::as_stream)?.is_some();
        if !exists && o.nomkstream {
            return Ok(Reply::Nil);
        }
        let s = ks.get_or_create(&key, Value::new_stream, Value::as_stream_mut)?;
        // (A stream created just now has last ID 0-0: neither error below
        // can befall it.)
        if s.last_id == StreamId::MAX {
            return Err(Reply::error(
                "ERR The stream has exhausted the last possible ID, unable to add more items",
            ));
        }
        let last = s.last_id;
        let id = match o.id {
            None => {
                if now > last.ms {
                    Some(StreamId::new(now, 0))
                } else {
                    last.incr()
                }
            }
            Some((id, true)) => Some(id),
            Some((id, false)) if id.ms == last.ms => {
                if last.seq == u64::MAX {
                    None
                } else {
                    Some(StreamId::new(last.ms, last.seq + 1))
                }
            }
            Some((id, false)) => Some(id),
        };
        let Some(id) = id.filter(|&id| id > last) else {
            return Err(Reply::error(
                "ERR The ID specified in XADD is equal or smaller than the target stream top item",
            ));
        };
        let fields: Fields = call.argv[field_pos..]
            .chunks(2)
            .map(|p| (p[0].clone(), p[1].clone()))
            .collect();
        s.append(id, fields, limits);
        let trimmed = match o.trim {
            Some(how) => s.trim(how, o.approx, o.limit),
            None => Vec::new(),
        };
        ks.written(&key, "xadd");
        record_ids(&mut ks, &key, "xadd", vec![id], Vec::new());
        if !trimmed.is_empty() {
            ks.written(&key, "xtrim");
            record_ids(&mut ks, &key, "xtrim", Vec::new(), trimmed);
        }
        let db = ks.db.index;
        e.signal_ready(db, &key);
        Ok(Reply::Bulk(id.to_bytes()))
    })())
}

/// XTRIM key MAXLEN|MINID [=|~] threshold [LIMIT count]: the options
/// first, then the key.
fn xtrim(e: &mut Engine, call: &mut Call) -> Reply {
    answer((|| {
        let o = parse_add_trim(call, false, stream_limits(&e.keyspace(call.client)))?;
        let key = call.arg(1).to_vec();
        let mut ks = e.keyspace(call.client);
        let Some(s) = stream_mut(&mut ks, &key)? else {
            return Ok(Reply::Integer(0));
        };
        let trimmed = match o.trim {
            Some(how) => s.trim(how, o.approx, o.limit),
            None => Vec::new(),
        };
        let n = trimmed.len() as i64;
        if n > 0 {
            ks.written(&key, "xtrim");
            record_ids(&mut ks, &key, "xtrim", Vec::new(), trimmed);
        }
        Ok(Reply::Integer(n))
    })())
}

fn xlen(e: &mut Engine, call: &mut Call) -> Reply {
    let mut ks = e.keyspace(call.client);
    match ks.get_as(call.arg(1), Value::as_stream) {
        Ok(s) => Reply::Integer(s.map_or(0, |s| s.len() as i64)),
        Err(err) => err,
    }
}

fn xrange(e: &mut Engine, call: &mut Call) -> Reply {
    answer(range(e, call, false))
}

fn xrevrange(e: &mut Engine, call: &mut Call) -> Reply {
    answer(range(e, call, true))
}

/// An interval bound: `(` makes it exclusive (strict ID then).
pub(crate) fn interval_id(arg: &[u8], missing_seq: u64) -> Result<(StreamId, bool), Reply> {
    if arg.len() > 1 && arg[0] == b'(' {
        let rules = IdRules {
            strict: true,
            missing_seq,
            seq_star: false,
        };
        return parse_id(&arg[1..], rules).map(|(id, _)| (id, true));
    }
    let rules = IdRules {
        strict: false,
        missing_seq,
        seq_star: false,
    };
    parse_id(arg, rules).map(|(id, _)| (id, false))
}

/// XRANGE key start end [COUNT n] / XREVRANGE key end start [COUNT n].
fn range(e: &mut Engine, call: &mut Call, rev: bool) -> Result<Reply, Reply> {
    let (start_arg, end_arg) = if rev { (3, 2) } else { (2, 3) };
    let (mut start, start_ex) = interval_id(call.arg(start_arg), 0)?;
    if start_ex {
        start = start
            .incr()
            .ok_or_else(|| Reply::error("ERR invalid start ID for the interval"))?;
    }
    let (mut end, end_ex) = interval_id(call.arg(end_arg), u64::MAX)?;
    if end_ex {
        end = end
            .decr()
            .ok_or_else(|| Reply::error("ERR invalid end ID for the interval"))?;
    }
    let mut count: i64 = -1;
    let mut j = 4;
    while j < call.argv.len() {
        if is(call.arg(j), "count") && j + 1 < call.argv.len() {
            count = long_long(call.arg(j + 1))?.max(0);
            j += 2;
        } else {
            return Err(errors::syntax());
        }
    }
    let mut ks = e.keyspace(call.client);
    let Some(s) = ks.get_as(call.arg(1), Value::as_stream)? else {
        return Ok(Reply::Array(Vec::new()));
    };
    if count == 0 {
        return Ok(Reply::NilArray);
    }
    let limit = if count < 0 {
        usize::MAX
    } else {
        count as usize
    };
    Ok(Reply::Array(
        s.range(start, end, rev)
            .take(limit)
            .map(|(id, f)| entry_reply(id, f))
            .collect(),
    ))
}

/// XDEL key id [id ...]: every ID is checked before any is deleted.
fn xdel(e: &mut Engine, call: &mut Call) -> Reply {
    answer((|| {
        let key = call.arg(1).to_vec();
        let mut ks = e.keyspace(call.client);
        if ks.get_as(&key, Value::as_stream)?.is_none() {
            return Ok(Reply::Integer(0));
        }
        let ids = call.argv[2..]
            .iter()
            .map(|a| strict_id(a))
            .collect::<Result<Vec<_>, _>>()?;
        let Some(s) = stream_mut(&mut ks, &key)? else {
            return Ok(Reply::Integer(0));
        };
        let mut removed = Vec::new();
        for id in ids {
            if s.delete(id) {
                if id > s.max_deleted_id {
                    s.max_deleted_id = id;
                }
                removed.push(id);
            }
        }
        let n = removed.len() as i64;
        if n > 0 {
            ks.written(&key, "xdel");
            record_ids(&mut ks, &key, "xdel", Vec::new(), removed);
        }
        Ok(Reply::Integer(n))
    })())
}

/// XSETID key last-id [ENTRIESADDED n] [MAXDELETEDID id]
fn xsetid(e: &mut Engine, call: &mut Call) -> Reply {
    answer((|| {
        let id = strict_id(call.arg(2))?;
        let mut entries_added: Option<i64> = None;
        let mut max_deleted: Option<StreamId> = None;
        let mut i = 3;
        while i < call.argv.len() {
            let more = call.argv.len() - 1 - i;
            if is(call.arg(i), "entriesadded") && more > 0 {
                let n = long_long(call.arg(i + 1))?;
                if n < 0 {
                    return Err(Reply::error("ERR entries_added must be positive"));
                }
                entries_added = Some(n);
                i += 2;
            } else if is(call.arg(i), "maxdeletedid") && more > 0 {
                let m = strict_id(call.arg(i + 1))?;
                if id < m {
                    return Err(Reply::error(
                        "ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id",
                    ));
                }
                max_deleted = Some(m);
                i += 2;
            } else {
                return Err(errors::syntax());
            }
        }
        let key = call.arg(1).to_vec();
        let mut ks = e.keyspace(call.client);
        let Some(s) = stream_mut(&mut ks, &key)? else {
            return Err(errors::no_such_key());
        };
        if !s.is_empty() {
            if id < s.last_valid_id() {
                return Err(Reply::error(
                    "ERR The ID specified in XSETID is smaller than the target stream top item",
                ));
            }
            if entries_added.is_some_and(|n| (s.len() as i64) > n) {
                return Err(Reply::error(
                    "ERR The entries_added specified in XSETID is smaller than the target stream length",
                ));
            }
        }
        s.last_id = id;
        if let Some(n) = entries_added {
            s.entries_added = n as u64;
        }
        if let Some(m) = max_deleted.filter(|&m| m != StreamId::MIN) {
            s.max_deleted_id = m;
        }
        // Announced, but no WATCH breaks (7.0 does not touch the key).
        super::stream_groups::changed(&mut ks, &key, Some("xsetid"));
        Ok(Reply::ok())
    })())
}

/// What a blocked XREAD / XREADGROUP waits for: per key (first mention
/// wins), the ID entries must be above; how many to return; the group.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct XReadWait {
    pub after: Vec<(Vec<u8>, StreamId)>,
    pub count: usize,
    pub group: Option<GroupRead>,
}

/// XREADGROUP's GROUP group consumer [NOACK].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupRead {
    pub group: Vec<u8>,
    pub consumer: Vec<u8>,
    pub noack: bool,
}

/// XREAD [COUNT n] [BLOCK ms] STREAMS key [key ...] id [id ...]
fn xread(e: &mut Engine, call: &mut Call) -> Reply {
    answer(read(e, call, false))
}

/// XREADGROUP GROUP group consumer [COUNT n] [BLOCK ms] [NOACK] STREAMS
/// key [key ...] id [id ...]
fn xreadgroup(e: &mut Engine, call: &mut Call) -> Reply {
    answer(read(e, call, true))
}

/// Redis's `xreadCommand`, for both.
fn read(e: &mut Engine, call: &mut Call, xreadgroup: bool) -> Result<Reply, Reply> {
    let name = if xreadgroup { "XREADGROUP" } else { "XREAD" };
    let argc = call.argv.len();
    let mut timeout: Option<Option<u64>> = None;
    let mut count: usize = 0;
    let mut streams_at = 0;
    let mut group: Option<GroupRead> = None;
    let mut noack = false;
    let mut i = 1;
    while i < argc {
        let more = argc - i - 1;
        let o = call.arg(i);
        if is(o, "block") && more > 0 {
            i += 1;
            let ms = num::parse_i64(call.arg(i))
                .ok_or_else(|| Reply::error("ERR timeout is not an integer or out of range"))?;
            if ms < 0 {
                return Err(Reply::error("ERR timeout is negative"));
            }
            timeout = Some(if ms == 0 {
                None
            } else {
                Some((e.now as i64).wrapping_add(ms) as u64)
            });
        } else if is(o, "count") && more > 0 {
            i += 1;
            count = long_long(call.arg(i))?.max(0) as usize;
        } else if is(o, "streams") && more > 0 {
            streams_at = i + 1;
            if !(argc - streams_at).is_multiple_of(2) {
                let symbol = if xreadgroup { '>' } else { '$' };
                return Err(Reply::error(format!(
                    "ERR Unbalanced {name} list of streams: for each stream key an ID or '{symbol}' must be specified."
                )));
            }
            break;
        } else if is(o, "group") && more >= 2 {
            if !xreadgroup {
                return Err(Reply::error(
                    "ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.",
                ));
            }
            group = Some(GroupRead {
                group: call.arg(i + 1).to_vec(),
                consumer: call.arg(i + 2).to_vec(),
                noack: false,
            });
            i += 2;
        } else if is(o, "noack") {
            if !xreadgroup {
                return Err(Reply::error(
                    "ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.",
                ));
            }
            noack = true;
        } else {
            return Err(errors::syntax());
        }
        i += 1;
    }
    if streams_at == 0 {
        return Err(errors::syntax());
    }
    if xreadgroup && group.is_none() {
        return Err(Reply::error("ERR Missing GROUP option for XREADGROUP"));
    }
    if let Some(g) = group.as_mut() {
        g.noack = noack;
    }
    let n = (argc - streams_at) / 2;
    let keys: Vec<Vec<u8>> = call.argv[streams_at..streams_at + n].to_vec();
    let now = e.now;
    let mut ks = e.keyspace(call.client);
    let mut after = Vec::with_capacity(n);
    for (k, key) in keys.iter().enumerate() {
        let arg = call.arg(streams_at + n + k);
        let s = ks.get_as(key, Value::as_stream)?;
        if let Some(g) = &group {
            if !s.is_some_and(|s| s.groups.contains_key(&g.group)) {
                return Err(Reply::error(format!(
                    "NOGROUP No such key '{}' or consumer group '{}' in XREADGROUP with GROUP option",
                    String::from_utf8_lossy(c_str(key)),
                    String::from_utf8_lossy(c_str(&g.group))
                )));
            }
        }
        let id = if c_str(arg) == b"$" {
            if xreadgroup {
                return Err(Reply::error(
                    "ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the history of this consumer by specifying a proper ID, or use the > ID to get new messages. The $ ID would just return an empty result set.",
                ));
            }
            s.map_or(StreamId::MIN, |s| s.last_id)
        } else if c_str(arg) == b">" {
            if !xreadgroup {
                return Err(Reply::error(
                    "ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option.",
                ));
            }
            StreamId::MAX
        } else {
            strict_id(arg)?
        };
        after.push(id);
    }
    let mut out = Vec::new();
    for (key, &gt) in keys.iter().zip(&after) {
        let Some(s) = stream_mut(&mut ks, key)? else {
            continue;
        };
        match &group {
            None => {
                if s.is_empty() || s.last_valid_id() <= gt {
                    continue;
                }
                out.push(read_after(s, key, gt, count));
            }
            Some(g) => {
                let history = gt != StreamId::MAX;
                let last = s
                    .groups
                    .get(&g.group)
                    .map_or(StreamId::MIN, |cg| cg.last_id);
                if !history && (s.is_empty() || s.last_valid_id() <= last) {
                    continue;
                }
                let created = super::stream_groups::touch_consumer(s, &g.group, &g.consumer, now);
                let entries = if history {
                    super::stream_groups::history(s, g, gt, count, now)
                } else {
                    super::stream_groups::deliver(s, g, last, count, now)
                };
                out.push(Reply::Array(vec![
                    Reply::bulk(key.clone()),
                    Reply::Array(entries),
                ]));
                let event = created.then_some("xgroup-createconsumer");
                super::stream_groups::changed(&mut ks, key, event);
            }
        }
    }
    if !out.is_empty() {
        return Ok(Reply::Array(out));
    }
    let Some(deadline) = timeout else {
        return Ok(Reply::NilArray);
    };
    if e.blocking.deny {
        return Ok(Reply::NilArray);
    }
    let mut wait = XReadWait {
        after: Vec::new(),
        count: if count == 0 {
            BLOCKED_DEFAULT_COUNT
        } else {
            count
        },
        group,
    };
    for (key, id) in keys.iter().zip(after) {
        if !wait.after.iter().any(|(k, _)| k == key) {
            wait.after.push((key.clone(), id));
        }
    }
    let command = if xreadgroup { "xreadgroup" } else { "xread" };
    e.block(call.client, &keys, Op::XRead(wait), command, deadline);
    Ok(Reply::NilArray)
}

/// `[key, [entries after gt ...]]`, up to `count` (0: all).
fn read_after(s: &Stream, key: &[u8], gt: StreamId, count: usize) -> Reply {
    let limit = if count == 0 { usize::MAX } else { count };
    let entries = match gt.incr() {
        Some(start) => s
            .range(start, StreamId::MAX, false)
            .take(limit)
            .map(|(id, f)| entry_reply(id, f))
            .collect(),
        None => Vec::new(),
    };
    Reply::Array(vec![Reply::bulk(key), Reply::Array(entries)])
}

/// Serves a client blocked in XREAD or XREADGROUP on `key` (Redis's
/// `serveClientsBlockedOnStreamKey`): `None` if the stream has nothing
/// past its ID (or its group's last ID) yet: it keeps waiting.
pub(crate) fn serve_xread(
    ks: &mut Keyspace<'_>,
    key: &[u8],
    wait: &XReadWait,
    now: u64,
) -> Option<Reply> {
    let mut gt = wait.after.iter().find(|(k, _)| k == key)?.1;
    let s = ks.get_as_mut(key, Value::as_stream_mut).ok()??;
    let Some(g) = &wait.group else {
        if s.last_id <= gt {
            return None;
        }
        return Some(Reply::Array(vec![read_after(s, key, gt, wait.count)]));
    };
    match s.groups.get(&g.group) {
        None => {
            return Some(Reply::error(
                "NOGROUP the consumer group this client was blocked on no longer exists",
            ))
        }
        Some(cg) => gt = cg.last_id,
    }
    if s.last_id <= gt {
        return None;
    }
    let created = super::stream_groups::touch_consumer(s, &g.group, &g.consumer, now);
    let entries = super::stream_groups::deliver(s, g, gt, wait.count, now);
    super::stream_groups::changed(ks, key, created.then_some("xgroup-createconsumer"));
    Some(Reply::Array(vec![Reply::Array(vec![
        Reply::bulk(key),
        Reply::Array(entries),
    ])]))
}

#[cfg(test)]
#[path = "streams_tests.rs"]
mod tests;
