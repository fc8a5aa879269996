//! Commands: the table (data), argument parsing, dispatch, and one module
//! per command family, each exporting its `HANDLERS`.
//!
//! Every handler takes the engine and a [`Call`] and returns a [`Reply`].
//! User mistakes are error replies with Redis's text (from [`errors`]),
//! never panics.

pub mod admin;
pub mod bitmaps;
pub mod blocking;
pub mod clients;
pub mod errors;
pub mod geo;
pub mod glob;
pub mod hashes;
pub mod hll;
pub mod introspect;
pub mod keys;
pub mod keyspace;
pub mod lists;
pub mod memory;
pub mod num;
pub mod packed;
pub mod pubsub;
pub mod server;
pub mod sets;
pub mod sort;
pub mod stream_groups;
pub mod stream_info;
pub mod streams;
pub mod strings;
pub mod table;
#[cfg(test)]
mod test_support;
pub mod transactions;
pub mod zsets;

use std::sync::OnceLock;

use rustc_hash::FxHashMap;

use crate::config::Config;
use crate::db::{Db, Meta, StrEnc};
use crate::engine::{ClientId, Engine};
use crate::event::{Event, Feed, Removal};
use crate::reply::Reply;
use crate::types::hash::Limits as HashLimits;
use crate::value::Value;
pub use table::{Spec, SPECS};

pub type Handler = fn(&mut Engine, &mut Call) -> Reply;

/// Every family's handlers, by lowercase command name.
const FAMILIES: &[&[(&str, Handler)]] = &[
    strings::HANDLERS,
    keys::HANDLERS,
    server::HANDLERS,
    hashes::HANDLERS,
    lists::HANDLERS,
    sets::HANDLERS,
    zsets::HANDLERS,
    hll::HANDLERS,
    bitmaps::HANDLERS,
    sort::HANDLERS,
    memory::HANDLERS,
    keyspace::HANDLERS,
    admin::HANDLERS,
    pubsub::HANDLERS,
    transactions::HANDLERS,
    clients::HANDLERS,
    blocking::HANDLERS,
    streams::HANDLERS,
    stream_groups::HANDLERS,
    stream_info::HANDLERS,
    geo::HANDLERS,
];

/// Keyed by bytes, so a lookup needs no UTF-8 check.
type HandlerMap = FxHashMap<&'static [u8], (&'static Spec, Handler)>;

fn handlers() -> &'static HandlerMap {
    static MAP: OnceLock<HandlerMap> = OnceLock::new();
    MAP.get_or_init(|| {
        let mut map = FxHashMap::default();
        for &(name, handler) in FAMILIES.iter().flat_map(|f| f.iter()) {
            // A handler without a row in the table is caught by a test.
            if let Some(spec) = spec(name) {
                map.insert(spec.name.as_bytes(), (spec, handler));
            }
        }
        map
    })
}

/// Every command name that has a handler, for tests and the generator.
pub fn handler_names() -> Vec<&'static str> {
    FAMILIES
        .iter()
        .flat_map(|f| f.iter())
        .map(|&(name, _)| name)
        .collect()
}

/// The table row of a command, by its lowercase name.
pub fn spec(name: &str) -> Option<&'static Spec> {
    SPECS
        .binary_search_by(|s| s.name.cmp(name))
        .ok()
        .map(|i| &SPECS[i])
}

/// The table rows of the commands the engine runs, sorted by name.
pub fn implemented() -> impl Iterator<Item = &'static Spec> {
    SPECS
        .iter()
        .filter(|s| handlers().contains_key(s.name.as_bytes()))
}

/// One command invocation: its client and its arguments, with a cursor
/// for parsing them in order.
pub struct Call {
    pub client: ClientId,
    pub argv: Vec<Vec<u8>>,
    pos: usize,
}

impl Call {
    pub fn new(client: ClientId, argv: Vec<Vec<u8>>) -> Call {
        Call {
            client,
            argv,
            pos: 1,
        }
    }

    /// The arguments after the command name.
    pub fn args(&self) -> &[Vec<u8>] {
        &self.argv[1..]
    }

    /// Argument `i` (0 is the command name). Arity is checked before a
    /// handler runs, so handlers may index within it.
    pub fn arg(&self, i: usize) -> &[u8] {
        &self.argv[i]
    }

    /// Takes the next argument, if any.
    #[allow(clippy::should_implement_trait)] // a cursor, not an iterator
    pub fn next(&mut self) -> Option<Vec<u8>> {
        let a = self.argv.get(self.pos)?.clone();
        self.pos += 1;
        Some(a)
    }

    pub fn remaining(&self) -> usize {
        self.argv.len().saturating_sub(self.pos)
    }

    /// Moves the cursor to argument `i`.
    pub fn seek(&mut self, i: usize) {
        self.pos = i;
    }
}

/// Runs one command: table lookup, arity, then the family's handler.
pub fn dispatch(engine: &mut Engine, mut call: Call) -> Reply {
    let (spec, mut checked) = check(&call.argv);
    if let (Some(spec), Ok(_)) = (spec, &checked) {
        // maxmemory: evict first, or refuse a denyoom command (evict.rs);
        // a client in subscribed mode runs only a few commands (pubsub.rs).
        // Redis checks in this order, and both refusals doom a MULTI.
        if let Some(refused) = crate::evict::before_command(engine, spec, call.client)
            .or_else(|| crate::pubsub::gate(engine, call.client, spec.name))
        {
            checked = Err(refused);
        }
    }
    // CLIENT PAUSE (pause.rs): a held command waits, before MULTI's queue.
    if let (Some(spec), Ok(_)) = (spec, &checked) {
        if engine.pause_holds(call.client, spec) {
            if let Some(c) = engine.clients.get_mut(&call.client) {
                c.session.last_cmd = Some(spec.name);
                c.session.last_active = engine.now;
            }
            engine.hold(call.client, call.argv, spec.name);
            return Reply::NilArray; // not sent: the client is blocked
        }
    }
    // Connection state (tx.rs): CLIENT LIST's `cmd`; inside MULTI a
    // refused command dooms the transaction and others are queued.
    if let Some(reply) = crate::tx::on_dispatch(engine, &call, spec, &checked) {
        return reply;
    }
    match checked {
        Ok(handler) => {
            // Key misses are notified for the lookups of commands that read.
            engine.events.misses = spec.is_some_and(|s| engine.misses_notified(s, &call.argv));
            let reply = handler(engine, &mut call);
            engine.events.misses = false;
            // Client-side caching remembers the keys a read named.
            if engine.tracking.clients > 0 && spec.is_some_and(|s| s.flags & packed::READONLY != 0)
            {
                engine.remember_keys(call.client, &call.argv);
            }
            reply
        }
        Err(reply) => reply,
    }
}

/// Table lookup and arity: the command's row (none if unknown) and its
/// handler, or the error Redis refuses the line with.
pub fn check(argv: &[Vec<u8>]) -> (Option<&'static Spec>, Result<Handler, Reply>) {
    let Some(&(spec, handler)) = lookup(&argv[0]) else {
        return (None, Err(errors::unknown_command(argv)));
    };
    let spec = match subcommand(spec, argv) {
        Ok(spec) => spec,
        Err(reply) => return (None, Err(reply)),
    };
    if !arity_ok(spec.arity.into(), argv.len()) {
        return (Some(spec), Err(errors::wrong_arity(spec.name)));
    }
    (Some(spec), Ok(handler))
}

/// The handler of a command name in any case, without allocating: the
/// longest name in Redis's table has 24 bytes.
fn lookup(name: &[u8]) -> Option<&'static (&'static Spec, Handler)> {
    let mut buf = [0u8; 32];
    let lower = buf.get_mut(..name.len())?;
    lower.copy_from_slice(name);
    lower.make_ascii_lowercase();
    handlers().get(&*lower)
}

/// The row a command line runs: for a container (COMMAND, CONFIG ...)
/// with an argument, its subcommand's row, as Redis's `lookupCommand`
/// resolves it before checking arity; so arity errors name
/// `command|count`, and an unknown subcommand is refused before the
/// handler runs.
pub fn subcommand(spec: &'static Spec, argv: &[Vec<u8>]) -> Result<&'static Spec, Reply> {
    if spec.subcommands.is_empty() || argv.len() < 2 {
        return Ok(spec);
    }
    let sub = String::from_utf8_lossy(&argv[1]).to_ascii_lowercase();
    spec.subcommands
        .iter()
        .find(|s| s.name.split_once('|').is_some_and(|(_, name)| name == sub))
        .ok_or_else(|| errors::unknown_subcommand(spec.name, &argv[1]))
}

pub fn arity_ok(arity: i32, argc: usize) -> bool {
    let argc = argc as i64;
    let arity = arity as i64;
    if arity >= 0 {
        argc == arity
    } else {
        argc >= -arity
    }
}

/// The keyspace of the calling client's database, at the command's `now`,
/// recording what changes. Commands read and write keys through this.
pub struct Keyspace<'a> {
    pub db: &'a mut Db,
    pub now: u64,
    pub events: &'a mut Feed,
    /// The settings families read when they write (encoding limits).
    pub config: &'a Config,
}

impl Engine {
    pub(crate) fn keyspace(&mut self, client: ClientId) -> Keyspace<'_> {
        let index = self.clients.get(&client).map_or(0, |c| c.db);
        self.keyspace_of(index)
    }

    /// The keyspace of database `index` (FLUSHALL visits each one).
    pub(crate) fn keyspace_of(&mut self, index: usize) -> Keyspace<'_> {
        self.dbs[index].set_now(self.now);
        Keyspace {
            db: &mut self.dbs[index],
            now: self.now,
            events: &mut self.events,
            config: &self.config,
        }
    }
}

impl Keyspace<'_> {
    /// `hash-max-listpack-entries` and `-value`, as the hash type takes them.
    pub fn hash_limits(&self) -> HashLimits {
        HashLimits {
            entries: usize::try_from(self.config.hash_max_listpack_entries).unwrap_or(usize::MAX),
            value: usize::try_from(self.config.hash_max_listpack_value).unwrap_or(usize::MAX),
        }
    }

    /// `zset-max-listpack-entries` and `-value`, as the zset type takes them.
    pub fn zset_limits(&self) -> crate::types::zset::Limits {
        crate::types::zset::Limits {
            entries: usize::try_from(self.config.zset_max_listpack_entries).unwrap_or(usize::MAX),
            value: usize::try_from(self.config.zset_max_listpack_value).unwrap_or(usize::MAX),
        }
    }

    /// `set-max-intset-entries`.
    pub fn intset_max(&self) -> usize {
        usize::try_from(self.config.set_max_intset_entries).unwrap_or(usize::MAX)
    }

    /// A read lookup (Redis's `lookupKeyRead`): a miss is a `keymiss`
    /// notification while the command's lookups announce misses.
    pub fn get(&mut self, key: &[u8]) -> Option<&Value> {
        if self.events.misses && !self.missed(key) {
            return None;
        }
        self.db.get(key, self.now, self.events)
    }

    pub fn get_mut(&mut self, key: &[u8]) -> Option<&mut Value> {
        if self.events.misses && !self.missed(key) {
            return None;
        }
        self.db.get_mut(key, self.now, self.events)
    }

    pub fn exists(&mut self, key: &[u8]) -> bool {
        if self.events.misses {
            return self.missed(key);
        }
        self.db.contains(key, self.now, self.events)
    }

    /// The command has looked its keys up once: later lookups of the same
    /// keys are no new misses.
    pub fn looked_up(&mut self) {
        self.events.misses = false;
    }

    /// Whether `key` is live; records a `KeyMiss` if not (notify.rs).
    fn missed(&mut self, key: &[u8]) -> bool {
        let live = self.db.contains(key, self.now, self.events);
        if !live {
            let db = self.db.index;
            self.events.record(|| Event::KeyMiss {
                db,
                key: key.to_vec(),
            });
        }
        live
    }

    /// The string at `key`: `Ok(None)` if missing, `Err(WRONGTYPE)` if it
    /// holds another type.
    pub fn get_str(&mut self, key: &[u8]) -> Result<Option<&Vec<u8>>, Reply> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Str(s)) => Ok(Some(s)),
            Some(_) => Err(errors::wrongtype()),
        }
    }

    /// The value at `key` as the type `pick` selects (`Value::as_hash`
    /// ...): `Ok(None)` if missing, `Err(WRONGTYPE)` if another type.
    pub fn get_as<T>(
        &mut self,
        key: &[u8],
        pick: fn(&Value) -> Option<&T>,
    ) -> Result<Option<&T>, Reply> {
        match self.get(key) {
            None => Ok(None),
            Some(v) => pick(v).map(Some).ok_or_else(errors::wrongtype),
        }
    }

    /// As [`get_as`](Self::get_as), for changing the value in place; call
    /// [`written`](Self::written) after a change, and delete a key the
    /// change emptied (Redis never keeps an empty aggregate).
    pub fn get_as_mut<T>(
        &mut self,
        key: &[u8],
        pick: fn(&mut Value) -> Option<&mut T>,
    ) -> Result<Option<&mut T>, Reply> {
        match self.get_mut(key) {
            None => Ok(None),
            Some(v) => pick(v).map(Some).ok_or_else(errors::wrongtype),
        }
    }

    /// The value at `key` as the type `pick` selects, created empty by
    /// `new` if the key is missing; `Err(WRONGTYPE)` if another type. The
    /// caller writes to it and then calls [`written`](Self::written).
    pub fn get_or_create<T>(
        &mut self,
        key: &[u8],
        new: fn() -> Value,
        pick: fn(&mut Value) -> Option<&mut T>,
    ) -> Result<&mut T, Reply> {
        if !self.db.contains(key, self.now, self.events) {
            // A new key is not an access yet (its LFU counter starts at 5).
            self.db.set(key, new());
            let value = self.db.peek_mut(key).ok_or_else(errors::wrongtype)?;
            return pick(value).ok_or_else(errors::wrongtype);
        }
        match self.get_mut(key) {
            Some(v) => pick(v).ok_or_else(errors::wrongtype),
            None => Err(errors::wrongtype()), // just created: not reached
        }
    }

    /// Writes a value and clears any expiry.
    pub fn set(&mut self, key: &[u8], value: Value, command: &'static str) {
        self.db.set(key, value);
        self.written(key, command);
    }

    /// Writes a value and keeps the key's expiry.
    pub fn set_keep_ttl(&mut self, key: &[u8], value: Value, command: &'static str) {
        self.db.set_keep_ttl(key, value);
        self.written(key, command);
    }

    /// Records that `command` changed `key` in place.
    pub fn written(&mut self, key: &[u8], command: &'static str) {
        self.classify(key, command);
        let db = self.db.index;
        self.events.record(|| Event::Written {
            db,
            key: key.to_vec(),
            command,
        });
    }

    /// Records the encoding Redis 7.0 would give the string `command` just
    /// wrote at `key` (see [`StrEnc`]), with one lookup of the key, which
    /// also re-estimates the key's memory (the running total, evict.rs).
    pub(crate) fn classify(&mut self, key: &[u8], command: &str) {
        let shared_ints = self.db.shared_ints;
        self.db.update_entry(key, |value, meta| {
            let Value::Str(s) = value else {
                return;
            };
            let len = s.len();
            let auto = || string_encoding(s, shared_ints);
            let enc = match command {
                // In place on an existing string: Redis unshares it into a raw
                // sds; a new one is created raw too (all but APPEND's).
                "append" if meta.enc == StrEnc::Fresh => auto(),
                "append" | "setrange" | "setbit" | "bitfield" | "bitop" | "pfadd" | "pfmerge"
                | "pfcount" | "pfdebug" => StrEnc::Raw,
                // `createStringObjectFromLongDouble`: no integer attempt.
                "incrbyfloat" if len <= EMBSTR_MAX => StrEnc::Embstr,
                "incrbyfloat" => StrEnc::Raw,
                // Whole-value writes go through `tryObjectEncoding`.
                "set" | "setnx" | "setex" | "psetex" | "getset" | "mset" | "msetnx" | "incr"
                | "decr" | "incrby" | "decrby" => auto(),
                _ if meta.enc == StrEnc::Fresh => auto(),
                _ => return,
            };
            meta.enc = enc;
        });
    }

    /// Deletes a live key; true if there was one.
    pub fn delete(&mut self, key: &[u8]) -> bool {
        if !self.db.contains(key, self.now, self.events) {
            return false;
        }
        self.db.remove_key(key);
        let db = self.db.index;
        self.events.record(|| Event::Removed {
            db,
            key: key.to_vec(),
            cause: Removal::Deleted,
        });
        true
    }

    pub fn expire_at(&self, key: &[u8]) -> Option<u64> {
        self.db.expire_at(key)
    }

    /// Sets the absolute expiry of a live key. A time already past deletes
    /// the key, as Redis does (`checkAlreadyExpired`).
    pub fn set_expire(&mut self, key: &[u8], at: u64, command: &'static str) {
        if at <= self.now {
            self.delete(key);
        } else {
            self.db.set_expire(key, at);
            self.written(key, command);
        }
    }

    pub fn persist(&mut self, key: &[u8], command: &'static str) -> bool {
        let had = self.db.persist(key);
        if had {
            self.written(key, command);
        }
        had
    }

    /// Removes a live key and hands back its value and expiry (RENAME,
    /// MOVE); recorded as a deletion.
    pub fn take(&mut self, key: &[u8]) -> Option<(Value, Option<u64>)> {
        self.take_entry(key).map(|(value, at, _)| (value, at))
    }

    /// As [`take`](Self::take), with the object header too, for a move
    /// that keeps the object (RENAME: the encoding and access time stay).
    pub fn take_entry(&mut self, key: &[u8]) -> Option<(Value, Option<u64>, Meta)> {
        if !self.db.contains(key, self.now, self.events) {
            return None;
        }
        let at = self.db.expire_at(key);
        let (value, meta) = self.db.remove_entry(key)?;
        self.events.push(Event::Removed {
            db: self.db.index,
            key: key.to_vec(),
            cause: Removal::Deleted,
        });
        Some((value, at, meta))
    }

    /// Writes a value with its header and expiry, as RENAME moves a key.
    pub fn set_entry(
        &mut self,
        key: &[u8],
        value: Value,
        at: Option<u64>,
        meta: Meta,
        command: &'static str,
    ) {
        self.db.set_with_meta(key, value, meta);
        if let Some(at) = at {
            self.db.set_expire(key, at);
        }
        self.written(key, command);
    }

    /// Writes a value with the given expiry (`None`: none), as RENAME
    /// moves a key with its TTL.
    pub fn set_with_expire(
        &mut self,
        key: &[u8],
        value: Value,
        at: Option<u64>,
        command: &'static str,
    ) {
        self.db.set(key, value);
        if let Some(at) = at {
            self.db.set_expire(key, at);
        }
        self.written(key, command);
    }

    /// The live keys, in the map's order (KEYS, SCAN). Keys past their
    /// expiry but not yet reclaimed are skipped, not removed, as Redis's
    /// KEYS does.
    pub fn live_keys(&self) -> impl Iterator<Item = &[u8]> {
        self.db
            .raw_keys()
            .map(|(k, _)| k)
            .filter(|k| self.db.is_live(k, self.now))
    }

    /// Empties the database (FLUSHDB, FLUSHALL); one `Flushed` event
    /// rather than one per key. An empty database records nothing.
    pub fn flush(&mut self) -> usize {
        let n = self.db.clear();
        if n > 0 {
            self.events.push(Event::Flushed { db: self.db.index });
        }
        n
    }
}

/// Redis's `OBJ_ENCODING_EMBSTR_SIZE_LIMIT`.
const EMBSTR_MAX: usize = 44;
/// Redis's `OBJ_SHARED_INTEGERS`: 0..9999 share preallocated objects.
const SHARED_INTEGERS: i64 = 10_000;

/// Redis's `tryObjectEncoding` for a string stored whole: an integer in
/// canonical form of at most 20 bytes is `int` (shared below 10000 unless
/// the eviction policy forbids it), then `embstr` up to 44 bytes, else `raw`.
pub fn string_encoding(s: &[u8], shared_ints: bool) -> StrEnc {
    if s.len() <= 20 {
        if let Some(n) = num::parse_i64(s) {
            return if shared_ints && (0..SHARED_INTEGERS).contains(&n) {
                StrEnc::SharedInt
            } else {
                StrEnc::Int
            };
        }
    }
    if s.len() <= EMBSTR_MAX {
        StrEnc::Embstr
    } else {
        StrEnc::Raw
    }
}

/// An argument as C's `strcasecmp`, `strchr` and `strtoul` see it: up to
/// its first NUL byte.
pub(crate) fn c_str(arg: &[u8]) -> &[u8] {
    arg.iter()
        .position(|&b| b == 0)
        .map_or(arg, |end| &arg[..end])
}

/// True if `arg` is `word` to `strcasecmp` (any case, up to a NUL).
pub(crate) fn arg_is(arg: &[u8], word: &str) -> bool {
    c_str(arg).eq_ignore_ascii_case(word.as_bytes())
}

/// A SCAN/SSCAN/HSCAN/ZSCAN cursor as Redis's `parseScanCursorOrReply`
/// reads it with `strtoul`: up to the first NUL, an optional sign (a
/// negative number wraps around), decimal digits and nothing else (no
/// leading space), within 64 bits. An empty cursor is 0.
pub(crate) fn parse_cursor(arg: &[u8]) -> Option<u64> {
    let s = c_str(arg);
    if s.is_empty() {
        return Some(0);
    }
    let (negative, digits) = match s.split_first() {
        Some((b'-', rest)) => (true, rest),
        Some((b'+', rest)) => (false, rest),
        _ => (false, s),
    };
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let mut v: u64 = 0;
    for &d in digits {
        v = v.checked_mul(10)?.checked_add(u64::from(d - b'0'))?;
    }
    Some(if negative { v.wrapping_neg() } else { v })
}

/// The options of SCAN, SSCAN, HSCAN and ZSCAN as Redis's
/// `scanGenericCommand` reads them, after the cursor and the key are
/// checked: COUNT (an integer, at least 1), MATCH (`*` is no filter at
/// all), and TYPE for SCAN only; names compared as `strcasecmp` does.
pub(crate) struct ScanOptions<'a> {
    pub count: usize,
    pub pattern: Option<&'a [u8]>,
    pub type_name: Option<&'a [u8]>,
}

impl ScanOptions<'_> {
    /// True if `item` passes MATCH.
    pub fn matches(&self, item: &[u8]) -> bool {
        self.pattern.is_none_or(|p| glob::matches(p, item))
    }
}

pub(crate) fn scan_options(options: &[Vec<u8>], keyspace: bool) -> Result<ScanOptions<'_>, Reply> {
    let mut o = ScanOptions {
        count: 10,
        pattern: None,
        type_name: None,
    };
    for pair in options.chunks(2) {
        let [name, value] = pair else {
            return Err(errors::syntax());
        };
        if arg_is(name, "count") {
            o.count = match num::parse_i64(value) {
                None => return Err(errors::not_integer()),
                Some(n) if n < 1 => return Err(errors::syntax()),
                Some(n) => usize::try_from(n).unwrap_or(usize::MAX),
            };
        } else if arg_is(name, "match") {
            o.pattern = Some(value.as_slice()).filter(|p| *p != b"*");
        } else if arg_is(name, "type") && keyspace {
            o.type_name = Some(value);
        } else {
            return Err(errors::syntax());
        }
    }
    Ok(o)
}

/// A SCAN page: the next cursor and the items.
pub(crate) fn scan_reply(next: u64, items: Vec<Reply>) -> Reply {
    Reply::Array(vec![
        Reply::Bulk(num::i64_bytes(next as i64)),
        Reply::Array(items),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_handler_has_a_table_row() {
        for name in handler_names() {
            assert!(spec(name).is_some(), "{name} has no row in table.rs");
        }
    }

    #[test]
    fn the_table_is_sorted_for_binary_search() {
        assert!(SPECS.windows(2).all(|w| w[0].name < w[1].name));
    }
}
