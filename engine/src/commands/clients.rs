//! Connection commands: CLIENT (ID SETNAME GETNAME LIST INFO KILL
//! NO-EVICT GETREDIR HELP), HELLO, QUIT, RESET (Redis's `networking.c`).
//!
//! The engine has no sockets, so what CLIENT LIST says of one is made up
//! but plausible and stable: client `n` comes from `127.0.0.1:<40000 + n>`
//! (`n` modulo 20000) to `laddr=127.0.0.1:6379` on `fd=<7 + n>`, and the
//! buffer figures are those of an idle redis-server connection. CLIENT
//! KILL ADDR matches that fake address. Everything the engine knows (id,
//! name, age, idle, flags, db, multi, cmd) is real.

use super::num::parse_i64;
use super::{arg_is, errors, Call, Handler};
use crate::engine::{Client, ClientId, Engine};
use crate::event::Event;
use crate::event::SubKind;
use crate::reply::Reply;
use crate::tracking::Settings;
use crate::tx;

pub const HANDLERS: &[(&str, Handler)] = &[
    ("client", client),
    ("hello", hello),
    ("quit", quit),
    ("reset", reset),
];

/// The version HELLO reports (INFO's `redis_version`).
const VERSION: &str = "7.0.15";

fn client(e: &mut Engine, call: &mut Call) -> Reply {
    let sub = call.arg(1).to_ascii_lowercase();
    match sub.as_slice() {
        b"id" => Reply::Integer(call.client.0 as i64),
        b"getname" => match e.clients.get(&call.client).and_then(|c| c.name.clone()) {
            Some(name) => Reply::Bulk(name),
            None => Reply::Nil,
        },
        b"setname" => match set_name(e, call.client, call.arg(2)) {
            Ok(()) => Reply::ok(),
            Err(reply) => reply,
        },
        b"info" => match e.clients.get(&call.client) {
            Some(c) => Reply::Bulk(info_line(e, c).into_bytes()),
            None => Reply::Nil,
        },
        b"list" => list(e, call),
        b"kill" => kill(e, call),
        b"no-evict" => no_evict(e, call),
        b"pause" => pause(e, call),
        b"unpause" => {
            e.end_pause(Some(call.client));
            Reply::ok()
        }
        b"reply" => reply_mode(e, call),
        b"unblock" => unblock(e, call),
        b"getredir" => Reply::Integer(
            e.clients
                .get(&call.client)
                .and_then(|c| c.session.tracking.as_ref())
                .map_or(-1, |t| t.redirect as i64),
        ),
        b"tracking" => tracking(e, call),
        b"trackinginfo" => tracking_info(e, call.client),
        b"caching" => caching(e, call),
        b"help" => Reply::Array(
            CLIENT_HELP
                .iter()
                .map(|l| Reply::Status(l.to_string()))
                .collect(),
        ),
        _ => errors::subcommand_syntax("client", call.arg(1)),
    }
}

/// Redis's `clientSetNameOrReply`: an empty name clears it; otherwise
/// every byte must be printable ASCII other than space (`'!'..='~'`).
fn set_name(e: &mut Engine, id: ClientId, name: &[u8]) -> Result<(), Reply> {
    if name.iter().any(|&b| !(b'!'..=b'~').contains(&b)) {
        return Err(Reply::error(
            "ERR Client names cannot contain spaces, newlines or special characters.",
        ));
    }
    let name = (!name.is_empty()).then(|| name.to_vec());
    if let Some(c) = e.clients.get_mut(&id) {
        c.name = name.clone();
    }
    e.events.push(Event::ClientNamed { id, name });
    Ok(())
}

fn no_evict(e: &mut Engine, call: &mut Call) -> Reply {
    let on = if arg_is(call.arg(2), "on") {
        true
    } else if arg_is(call.arg(2), "off") {
        false
    } else {
        return errors::syntax();
    };
    if let Some(c) = e.clients.get_mut(&call.client) {
        c.session.no_evict = on;
    }
    Reply::ok()
}

/// CLIENT PAUSE timeout [WRITE|ALL] (pause.rs): the mode is checked
/// before the timeout, as Redis does.
fn pause(e: &mut Engine, call: &mut Call) -> Reply {
    if call.argv.len() > 4 {
        return errors::subcommand_syntax("client", call.arg(1));
    }
    let mut all = true;
    if let Some(mode) = call.argv.get(3) {
        if arg_is(mode, "write") {
            all = false;
        } else if !arg_is(mode, "all") {
            return Reply::error("ERR CLIENT PAUSE mode must be WRITE or ALL");
        }
    }
    let Some(timeout) = parse_i64(call.arg(2)) else {
        return Reply::error("ERR timeout is not an integer or out of range");
    };
    if timeout < 0 {
        return Reply::error("ERR timeout is negative");
    }
    // A timeout of 0 ends the pause before it holds anything.
    if timeout > 0 {
        e.start_pause(call.client, timeout as u64, all);
    }
    Reply::ok()
}

/// CLIENT TRACKING ON|OFF [REDIRECT id] [BCAST] [PREFIX p ...] [OPTIN]
/// [OPTOUT] [NOLOOP] (tracking.rs), with Redis's checks in its order.
fn tracking(e: &mut Engine, call: &mut Call) -> Reply {
    let args = &call.argv;
    let mut new = Settings::default();
    let mut prefixes: Vec<Vec<u8>> = Vec::new();
    let mut j = 3;
    while j < args.len() {
        let more = j + 1 < args.len();
        let opt = &args[j];
        if arg_is(opt, "redirect") && more {
            j += 1;
            if new.redirect != 0 {
                return Reply::error("ERR A client can only redirect to a single other client");
            }
            let Some(id) = parse_i64(&args[j]) else {
                return errors::not_integer();
            };
            if id < 1 || !e.clients.contains_key(&ClientId(id as u64)) {
                return Reply::error("ERR The client ID you want redirect to does not exist");
            }
            new.redirect = id as u64;
        } else if arg_is(opt, "bcast") {
            new.bcast = true;
        } else if arg_is(opt, "optin") {
            new.optin = true;
        } else if arg_is(opt, "optout") {
            new.optout = true;
        } else if arg_is(opt, "noloop") {
            new.noloop = true;
        } else if arg_is(opt, "prefix") && more {
            j += 1;
            prefixes.push(args[j].clone());
        } else {
            return errors::syntax();
        }
        j += 1;
    }
    let mode = call.arg(2);
    if arg_is(mode, "off") {
        e.disable_tracking(call.client);
        return Reply::ok();
    }
    if !arg_is(mode, "on") {
        return errors::syntax();
    }
    let old = e
        .clients
        .get(&call.client)
        .and_then(|c| c.session.tracking.clone());
    if !new.bcast && !prefixes.is_empty() {
        return Reply::error("ERR PREFIX option requires BCAST mode to be enabled");
    }
    if old.as_ref().is_some_and(|o| o.bcast != new.bcast) {
        return Reply::error(
            "ERR You can't switch BCAST mode on/off before disabling tracking for this client, \
             and then re-enabling it with a different mode.",
        );
    }
    if new.bcast && (new.optin || new.optout) {
        return Reply::error("ERR OPTIN and OPTOUT are not compatible with BCAST");
    }
    if new.optin && new.optout {
        return Reply::error("ERR You can't specify both OPTIN mode and OPTOUT mode");
    }
    if old
        .as_ref()
        .is_some_and(|o| (new.optin && o.optout) || (new.optout && o.optin))
    {
        return Reply::error(
            "ERR You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, \
             and then re-enabling it with a different mode.",
        );
    }
    if new.bcast {
        // Redis's `checkPrefixCollisionsOrReply`.
        let overlaps = |a: &[u8], b: &[u8]| a.starts_with(b) || b.starts_with(a);
        for (i, p) in prefixes.iter().enumerate() {
            let mut existing = old.iter().flat_map(|o| o.prefixes.keys());
            if let Some(q) = existing.find(|q| overlaps(p, q)) {
                return Reply::error(format!(
                    "ERR Prefix '{}' overlaps with an existing prefix '{}'. \
                     Prefixes for a single client must not overlap.",
                    String::from_utf8_lossy(p),
                    String::from_utf8_lossy(q)
                ));
            }
            if let Some(q) = prefixes[i + 1..].iter().find(|q| overlaps(p, q)) {
                return Reply::error(format!(
                    "ERR Prefix '{}' overlaps with another provided prefix '{}'. \
                     Prefixes for a single client must not overlap.",
                    String::from_utf8_lossy(p),
                    String::from_utf8_lossy(q)
                ));
            }
        }
    }
    for p in prefixes {
        new.prefixes.insert(p, ());
    }
    e.enable_tracking(call.client, new);
    Reply::ok()
}

/// CLIENT TRACKINGINFO: flags, redirect and prefixes, as a RESP2 map.
fn tracking_info(e: &Engine, client: ClientId) -> Reply {
    let t = e
        .clients
        .get(&client)
        .and_then(|c| c.session.tracking.as_ref());
    let mut flags = vec![if t.is_some() { "on" } else { "off" }];
    if let Some(t) = t {
        let on = [
            (t.bcast, "bcast"),
            (t.optin, "optin"),
            (t.optin && t.caching, "caching-yes"),
            (t.optout, "optout"),
            (t.optout && t.caching, "caching-no"),
            (t.noloop, "noloop"),
            (t.broken, "broken_redirect"),
        ];
        flags.extend(on.iter().filter(|(set, _)| *set).map(|(_, f)| *f));
    }
    Reply::Array(vec![
        Reply::bulk("flags"),
        Reply::Array(flags.into_iter().map(Reply::bulk).collect()),
        Reply::bulk("redirect"),
        Reply::Integer(t.map_or(-1, |t| t.redirect as i64)),
        Reply::bulk("prefixes"),
        Reply::Array(
            t.iter()
                .flat_map(|t| t.prefixes.keys())
                .map(|p| Reply::Bulk(p.clone()))
                .collect(),
        ),
    ])
}

/// CLIENT CACHING YES|NO: for the next command, in OPTIN / OPTOUT mode.
fn caching(e: &mut Engine, call: &mut Call) -> Reply {
    let opt = call.arg(2).to_vec();
    let Some(t) = e
        .clients
        .get_mut(&call.client)
        .and_then(|c| c.session.tracking.as_mut())
    else {
        return Reply::error(
            "ERR CLIENT CACHING can be called only when the client is in tracking mode \
             with OPTIN or OPTOUT mode enabled",
        );
    };
    if arg_is(&opt, "yes") {
        if !t.optin {
            return Reply::error(
                "ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.",
            );
        }
    } else if arg_is(&opt, "no") {
        if !t.optout {
            return Reply::error(
                "ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.",
            );
        }
    } else {
        return errors::syntax();
    }
    t.caching = true;
    Reply::ok()
}

/// CLIENT REPLY ON|OFF|SKIP: OFF and SKIP send no reply of their own.
fn reply_mode(e: &mut Engine, call: &mut Call) -> Reply {
    let arg = call.arg(2);
    let Some(c) = e.clients.get_mut(&call.client) else {
        return Reply::ok();
    };
    let s = &mut c.session;
    if arg_is(arg, "on") {
        s.reply_off = false;
        s.skip_next = false;
        s.skipping = false;
    } else if arg_is(arg, "off") {
        s.reply_off = true;
        s.silent = !s.in_exec; // inside EXEC its OK stays in the array
    } else if arg_is(arg, "skip") {
        if !s.reply_off {
            s.skip_next = true;
        }
        s.silent = !s.in_exec;
    } else {
        return errors::syntax();
    }
    Reply::ok()
}

/// CLIENT UNBLOCK id [TIMEOUT|ERROR]: a client blocked on keys gets a
/// timeout's nil array or the UNBLOCKED error (1); anyone else, a client
/// held by CLIENT PAUSE included (pause.rs), is left alone (0).
fn unblock(e: &mut Engine, call: &mut Call) -> Reply {
    if call.argv.len() > 4 {
        return errors::subcommand_syntax("client", call.arg(1));
    }
    let mut error = false;
    if let Some(reason) = call.argv.get(3) {
        if arg_is(reason, "error") {
            error = true;
        } else if !arg_is(reason, "timeout") {
            return Reply::error("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR");
        }
    }
    let Some(id) = parse_i64(call.arg(2)) else {
        return errors::not_integer();
    };
    let target = ClientId(id as u64);
    if id < 1 || e.blocking.wait(target).is_none() {
        return Reply::Integer(0);
    }
    let reply = if error {
        Reply::Error("UNBLOCKED client unblocked via CLIENT UNBLOCK".into())
    } else {
        Reply::NilArray
    };
    e.unblock_with(target, reply);
    e.events.push(Event::ClientUnblocked {
        id: target,
        by: call.client,
        error,
    });
    Reply::Integer(1)
}

impl Engine {
    /// CLIENT REPLY: a command of `client` starts; a SKIP before it takes
    /// its reply.
    pub(crate) fn reply_starts(&mut self, client: ClientId) {
        if let Some(c) = self.clients.get_mut(&client) {
            if std::mem::take(&mut c.session.skip_next) {
                c.session.skipping = true;
            }
        }
    }

    /// CLIENT REPLY: whether `reply` to `client`'s command (`kind`; the
    /// default for a blocked command's late reply) goes out. Pub/sub
    /// confirmations always do (Redis 7.0 sends them as pushes).
    pub(crate) fn reply_allowed(&mut self, client: ClientId, kind: Sent, reply: &Reply) -> bool {
        let Some(c) = self.clients.get_mut(&client) else {
            return true;
        };
        let s = &mut c.session;
        let quiet = s.reply_off | std::mem::take(&mut s.skipping) | std::mem::take(&mut s.silent);
        !quiet || (kind.subscription && matches!(reply, Reply::Array(_)))
    }
}

/// What CLIENT REPLY and CLIENT CACHING need to know of a command once it
/// has run (read before it runs, so no copy of its name is kept).
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Sent {
    /// SUBSCRIBE and friends: their confirmations are pushes.
    pub subscription: bool,
    /// A CLIENT subcommand (CLIENT CACHING's flag survives it).
    pub client: bool,
}

impl Sent {
    pub(crate) fn of(argv0: &[u8]) -> Sent {
        const PUSHES: &[&str] = &[
            "subscribe",
            "psubscribe",
            "ssubscribe",
            "unsubscribe",
            "punsubscribe",
            "sunsubscribe",
        ];
        Sent {
            subscription: PUSHES
                .iter()
                .any(|p| argv0.eq_ignore_ascii_case(p.as_bytes())),
            client: argv0.eq_ignore_ascii_case(b"client"),
        }
    }
}

/// The kinds CLIENT LIST TYPE and CLIENT KILL TYPE name (Redis's
/// `getClientTypeByName`). Every engine client is a normal one.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Normal,
    Replica,
    PubSub,
    Master,
}

fn kind_by_name(name: &[u8]) -> Option<Kind> {
    let name = name.to_ascii_lowercase();
    Some(match name.as_slice() {
        b"normal" => Kind::Normal,
        b"slave" | b"replica" => Kind::Replica,
        b"pubsub" => Kind::PubSub,
        b"master" => Kind::Master,
        _ => return None,
    })
}

fn unknown_type(name: &[u8]) -> Reply {
    Reply::error(format!(
        "ERR Unknown client type '{}'",
        String::from_utf8_lossy(name)
    ))
}

/// A client's kind. Subscribers are `pubsub` once pub/sub exists; until
/// then every client is `normal`.
fn kind_of(e: &Engine, c: &Client) -> Kind {
    if e.pubsub.is_subscribed(c.id) {
        Kind::PubSub
    } else {
        Kind::Normal
    }
}

/// CLIENT LIST [TYPE type | ID id ...]: one line per client, oldest first.
fn list(e: &mut Engine, call: &mut Call) -> Reply {
    let args = &call.argv[2..];
    let mut out = String::new();
    if args.len() == 2 && arg_is(&args[0], "type") {
        let Some(kind) = kind_by_name(&args[1]) else {
            return unknown_type(&args[1]);
        };
        for c in e.clients.values().filter(|c| kind_of(e, c) == kind) {
            out.push_str(&info_line(e, c));
        }
    } else if args.len() >= 2 && arg_is(&args[0], "id") {
        for arg in &args[1..] {
            let Some(id) = parse_i64(arg) else {
                return Reply::error("ERR Invalid client ID");
            };
            if let Some(c) = u64::try_from(id)
                .ok()
                .and_then(|id| e.clients.get(&ClientId(id)))
            {
                out.push_str(&info_line(e, c));
            }
        }
    } else if !args.is_empty() {
        return errors::syntax();
    } else {
        for c in e.clients.values() {
            out.push_str(&info_line(e, c));
        }
    }
    Reply::Bulk(out.into_bytes())
}

/// The fake peer address of a client (see the module doc).
pub fn fake_addr(id: ClientId) -> String {
    format!("127.0.0.1:{}", 40_000 + id.0 % 20_000)
}

const FAKE_LADDR: &str = "127.0.0.1:6379";

/// One line of CLIENT LIST, ending in a newline (Redis's
/// `catClientInfoString`).
fn info_line(e: &Engine, c: &Client) -> String {
    let s = &c.session;
    let mut flags = String::new();
    let subs = |kind| e.pubsub.count_of(c.id, kind);
    let (sub, psub, ssub) = (
        subs(SubKind::Channel),
        subs(SubKind::Pattern),
        subs(SubKind::Shard),
    );
    // Redis's order of flags (`catClientInfoString`).
    if e.pubsub.is_subscribed(c.id) {
        flags.push('P');
    }
    if s.multi.is_some() {
        flags.push('x');
    }
    if e.blocking.is_blocked(c.id) {
        flags.push('b');
    }
    if let Some(t) = &s.tracking {
        flags.push('t');
        if t.broken {
            flags.push('R');
        }
        if t.bcast {
            flags.push('B');
        }
    }
    if s.broken.is_some() {
        flags.push('d');
    }
    if s.close_after_reply {
        flags.push('c');
    }
    if s.no_evict {
        flags.push('e');
    }
    if flags.is_empty() {
        flags.push('N');
    }
    let name = c.name.as_deref().map(String::from_utf8_lossy);
    let multi_mem: usize = s
        .multi
        .iter()
        .flatten()
        .flat_map(|argv| argv.iter().map(|a| a.len() + 16))
        .sum();
    let tot_mem = 22_298 + multi_mem;
    format!(
        "id={id} addr={addr} laddr={FAKE_LADDR} fd={fd} name={name} age={age} idle={idle} \
         flags={flags} db={db} sub={sub} psub={psub} ssub={ssub} multi={multi} qbuf=0 qbuf-free=20474 \
         argv-mem=0 multi-mem={multi_mem} rbs=1024 rbp=0 obl=0 oll=0 omem=0 tot-mem={tot_mem} \
         events=r cmd={cmd} user=default redir={redir} resp=2\n",
        id = c.id.0,
        addr = fake_addr(c.id),
        fd = 7 + c.id.0 % 20_000,
        name = name.as_deref().unwrap_or(""),
        age = e.now.saturating_sub(c.created_at) / 1000,
        idle = e.now.saturating_sub(s.last_active) / 1000,
        db = c.db,
        multi = s.multi_len(),
        cmd = s.last_cmd.unwrap_or("NULL"),
        redir = s.tracking.as_ref().map_or(-1, |t| t.redirect as i64),
    )
}

/// CLIENT KILL addr (the old form: `OK` or `No such client`, and a client
/// may kill itself), or CLIENT KILL with filters ID, TYPE, ADDR, LADDR,
/// USER, SKIPME (the count of clients killed; SKIPME yes by default).
fn kill(e: &mut Engine, call: &mut Call) -> Reply {
    let args = &call.argv[2..];
    let mut addr: Option<&[u8]> = None;
    let mut laddr: Option<&[u8]> = None;
    let mut kind = None;
    let mut id = None;
    let mut skipme = true;
    let old_form = args.len() == 1;
    if old_form {
        addr = Some(&args[0]);
        skipme = false;
    } else {
        for pair in args.chunks(2) {
            let [option, value] = pair else {
                return errors::syntax();
            };
            if arg_is(option, "id") {
                match parse_i64(value) {
                    Some(n) if n >= 1 => id = Some(ClientId(n as u64)),
                    _ => return Reply::error("ERR client-id should be greater than 0"),
                }
            } else if arg_is(option, "type") {
                match kind_by_name(value) {
                    Some(k) => kind = Some(k),
                    None => return unknown_type(value),
                }
            } else if arg_is(option, "addr") {
                addr = Some(value);
            } else if arg_is(option, "laddr") {
                laddr = Some(value);
            } else if arg_is(option, "user") {
                if value.as_slice() != b"default" {
                    return Reply::error(format!(
                        "ERR No such user '{}'",
                        String::from_utf8_lossy(value)
                    ));
                }
            } else if arg_is(option, "skipme") {
                if arg_is(value, "yes") {
                    skipme = true;
                } else if arg_is(value, "no") {
                    skipme = false;
                } else {
                    return errors::syntax();
                }
            } else {
                return errors::syntax();
            }
        }
    }
    let me = call.client;
    let victims: Vec<ClientId> = e
        .clients
        .values()
        .filter(|c| addr.is_none_or(|a| fake_addr(c.id).as_bytes() == a))
        .filter(|_| laddr.is_none_or(|a| FAKE_LADDR.as_bytes() == a))
        .filter(|c| kind.is_none_or(|k| kind_of(e, c) == k))
        .filter(|c| id.is_none_or(|id| c.id == id))
        .filter(|c| !(skipme && c.id == me))
        .map(|c| c.id)
        .collect();
    for &victim in &victims {
        e.events.push(Event::ClientKilled { id: victim, by: me });
        if victim == me {
            if let Some(c) = e.clients.get_mut(&me) {
                c.session.close_after_reply = true;
            }
        } else {
            e.disconnect(victim);
        }
    }
    match (old_form, victims.len()) {
        (true, 0) => Reply::error("ERR No such client"),
        (true, _) => Reply::ok(),
        (false, n) => Reply::Integer(n as i64),
    }
}

/// HELLO [protover [AUTH user pass] [SETNAME name]]: the server's
/// description as a RESP2 map (a flat array). The engine speaks RESP2
/// only, so `HELLO 3` is refused as a protocol it does not support.
fn hello(e: &mut Engine, call: &mut Call) -> Reply {
    let args = call.args();
    if let Some(ver) = args.first() {
        let Some(ver) = parse_i64(ver) else {
            return Reply::error("ERR Protocol version is not an integer or out of range");
        };
        if ver != 2 {
            return Reply::error("NOPROTO unsupported protocol version");
        }
    }
    let mut name = None;
    let mut auth = None;
    let mut j = 1;
    while j < args.len() {
        let more = args.len() - 1 - j;
        let opt = &args[j];
        if arg_is(opt, "auth") && more >= 2 {
            auth = Some((&args[j + 1], &args[j + 2]));
            j += 3;
        } else if arg_is(opt, "setname") && more >= 1 {
            name = Some(&args[j + 1]);
            j += 2;
        } else {
            return Reply::error(format!(
                "ERR Syntax error in HELLO option '{}'",
                String::from_utf8_lossy(super::c_str(opt))
            ));
        }
    }
    // The one user, `default`, has no password: any password passes.
    if let Some((user, _)) = auth {
        if user.as_slice() != b"default" {
            return Reply::error("WRONGPASS invalid username-password pair or user is disabled.");
        }
    }
    if let Some(name) = name {
        let name = name.clone();
        if let Err(reply) = set_name(e, call.client, &name) {
            return reply;
        }
    }
    Reply::Array(vec![
        Reply::bulk("server"),
        Reply::bulk("redis"),
        Reply::bulk("version"),
        Reply::bulk(VERSION),
        Reply::bulk("proto"),
        Reply::Integer(2),
        Reply::bulk("id"),
        Reply::Integer(call.client.0 as i64),
        Reply::bulk("mode"),
        Reply::bulk("standalone"),
        Reply::bulk("role"),
        Reply::bulk("master"),
        Reply::bulk("modules"),
        Reply::Array(Vec::new()),
    ])
}

/// QUIT: `OK`, then the connection closes (`Engine::execute_one` ends it).
fn quit(e: &mut Engine, call: &mut Call) -> Reply {
    if let Some(c) = e.clients.get_mut(&call.client) {
        c.session.close_after_reply = true;
    }
    Reply::ok()
}

/// RESET (Redis's `clearClientConnectionState`): back to database 0, no
/// transaction and no watches, no name, NO-EVICT off. Subscriptions are
/// dropped too in Redis (without messages): pub/sub's part.
fn reset(e: &mut Engine, call: &mut Call) -> Reply {
    let id = call.client;
    tx::discard(e, id);
    e.pubsub_forget(id); // leaves every channel, silently
    e.disable_tracking(id);
    let had_name = match e.clients.get_mut(&id) {
        Some(c) => {
            c.db = 0;
            c.session.no_evict = false;
            c.session.reply_off = false; // CLIENT REPLY ON, as Redis's RESET
            c.session.skip_next = false;
            c.name.take().is_some()
        }
        None => false,
    };
    if had_name {
        e.events.push(Event::ClientNamed { id, name: None });
    }
    Reply::Status("RESET".into())
}

/// CLIENT HELP, as redis-server 7.0 prints it.
const CLIENT_HELP: &[&str] = &[
    "CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "CACHING (YES|NO)",
    "    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.",
    "GETREDIR",
    "    Return the client ID we are redirecting to when tracking is enabled.",
    "GETNAME",
    "    Return the name of the current connection.",
    "ID",
    "    Return the ID of the current connection.",
    "INFO",
    "    Return information about the current client connection.",
    "KILL <ip:port>",
    "    Kill connection made from <ip:port>.",
    "KILL <option> <value> [<option> <value> [...]]",
    "    Kill connections. Options are:",
    "    * ADDR (<ip:port>|<unixsocket>:0)",
    "      Kill connections made from the specified address",
    "    * LADDR (<ip:port>|<unixsocket>:0)",
    "      Kill connections made to specified local address",
    "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
    "      Kill connections by type.",
    "    * USER <username>",
    "      Kill connections authenticated by <username>.",
    "    * SKIPME (YES|NO)",
    "      Skip killing current connection (default: yes).",
    "LIST [options ...]",
    "    Return information about client connections. Options:",
    "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
    "      Return clients of specified type.",
    "UNPAUSE",
    "    Stop the current client pause, resuming traffic.",
    "PAUSE <timeout> [WRITE|ALL]",
    "    Suspend all, or just write, clients for <timeout> milliseconds.",
    "REPLY (ON|OFF|SKIP)",
    "    Control the replies sent to the current connection.",
    "SETNAME <name>",
    "    Assign the name <name> to the current connection.",
    "UNBLOCK <clientid> [TIMEOUT|ERROR]",
    "    Unblock the specified blocked client.",
    "TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]",
    "         [OPTIN] [OPTOUT] [NOLOOP]",
    "    Control server assisted client side caching.",
    "TRACKINGINFO",
    "    Report tracking status for the current connection.",
    "NO-EVICT (ON|OFF)",
    "    Protect current client connection from eviction.",
    "HELP",
    "    Prints this help.",
];

#[cfg(test)]
#[path = "clients_tests.rs"]
mod tests;
