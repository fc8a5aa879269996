//! Transactions: MULTI EXEC DISCARD WATCH UNWATCH (Redis's `multi.c`).
//! The queue and the watches live in `crate::tx`; queueing itself happens
//! in dispatch (`tx::on_dispatch`), before any handler runs.

use super::{Call, Handler};
use crate::engine::Engine;
use crate::event::{Event, TxAbort};
use crate::reply::Reply;
use crate::tx;

pub const HANDLERS: &[(&str, Handler)] = &[
    ("discard", discard),
    ("exec", exec),
    ("multi", multi),
    ("unwatch", unwatch),
    ("watch", watch),
];

fn multi(e: &mut Engine, call: &mut Call) -> Reply {
    let Some(c) = e.clients.get_mut(&call.client) else {
        return Reply::ok();
    };
    if c.session.multi.is_some() {
        return Reply::error("ERR MULTI calls can not be nested");
    }
    c.session.multi = Some(Vec::new());
    Reply::ok()
}

fn discard(e: &mut Engine, call: &mut Call) -> Reply {
    if !tx::in_multi(e, call.client) {
        return Reply::error("ERR DISCARD without MULTI");
    }
    tx::discard(e, call.client);
    e.events.push(Event::TxDiscarded {
        client: call.client,
    });
    Reply::ok()
}

/// EXEC: EXECABORT if a command was refused while queueing, a null array
/// if a watched key changed (or, live when watched, has expired since),
/// else every queued command's reply in order; a command that fails does
/// not stop the others. The watches end either way, before the queue runs
/// (Redis unwatches first), so its own writes break only others' watches.
fn exec(e: &mut Engine, call: &mut Call) -> Reply {
    let client = call.client;
    if !tx::in_multi(e, client) {
        return Reply::error("ERR EXEC without MULTI");
    }
    // Changes by this very command's client so far are settled already;
    // an expiry nobody has noticed yet is checked here.
    let expired = tx::watched_key_expired(e, client);
    let Some(c) = e.clients.get_mut(&client) else {
        return Reply::NilArray;
    };
    let cause = if c.session.dirty_exec {
        Some(TxAbort::Errors)
    } else {
        c.session.broken.clone().or(expired)
    };
    if let Some(cause) = cause {
        tx::discard(e, client);
        let reply = tx::abort_reply(&cause);
        e.events.push(Event::TxAborted { client, cause });
        return reply;
    }
    // The queue stays in place while it runs: CLIENT LIST inside shows
    // the client still in MULTI (`flags=x multi=N`), as Redis does.
    let queue = c.session.multi.clone().unwrap_or_default();
    c.session.in_exec = true;
    tx::unwatch_all(e, client);
    let mut replies = Vec::with_capacity(queue.len());
    // Inside EXEC a blocking command answers at once, as if timed out.
    let denied = std::mem::replace(&mut e.blocking.deny, true);
    for argv in queue {
        // Keyspace notifications per queued command, as each runs (the
        // caller, `Engine::execute_one`, leaves EXEC's to this loop).
        let mark = e
            .events
            .capture
            .then(|| (e.events.events.len(), argv.clone()));
        replies.push(super::dispatch(e, Call::new(client, argv)));
        if let Some((mark, argv)) = mark {
            e.notify_keyspace(mark, Some(&argv), Some(client));
        }
        // Tracked keys are invalidated as each command changes them.
        crate::tx::settle(e, Some(client));
    }
    e.blocking.deny = denied;
    if let Some(c) = e.clients.get_mut(&client) {
        c.session.in_exec = false;
    }
    tx::discard(e, client);
    e.events.record(|| Event::TxExecuted {
        client,
        replies: replies.clone(),
    });
    Reply::Array(replies)
}

/// WATCH key...: refused inside MULTI; a client already flagged dirty
/// watches nothing more (its EXEC fails anyway).
fn watch(e: &mut Engine, call: &mut Call) -> Reply {
    let client = call.client;
    let Some(c) = e.clients.get(&client) else {
        return Reply::ok();
    };
    if c.session.multi.is_some() {
        return Reply::error("ERR WATCH inside MULTI is not allowed");
    }
    if c.session.broken.is_some() {
        return Reply::ok();
    }
    let db = c.db;
    for key in call.args() {
        tx::watch(e, client, db, key);
    }
    Reply::ok()
}

/// UNWATCH: forgets the watches and a change that broke one.
fn unwatch(e: &mut Engine, call: &mut Call) -> Reply {
    tx::unwatch_all(e, call.client);
    if let Some(c) = e.clients.get_mut(&call.client) {
        c.session.broken = None;
    }
    Reply::ok()
}

#[cfg(test)]
#[path = "transactions_tests.rs"]
mod tests;
