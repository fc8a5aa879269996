//! COMMAND and its subcommands, answered from the command table: COUNT,
//! DOCS, INFO, LIST, HELP, and GETKEYS (in `getkeys.rs`, from the key
//! specs); `docs.rs`: the table as an editor reads it (option words,
//! key positions, refusals).
//!
//! The engine knows only the commands it runs: those are the ones COMMAND
//! counts, lists and describes; any other name is unknown here, as a
//! command missing from a server is.

pub mod docs;
pub(crate) mod getkeys;

use super::packed::{self, unpack};
use super::{errors, glob, implemented, Call, Spec};
use crate::engine::Engine;
use crate::reply::Reply;

/// COMMAND HELP's text, as Redis 7.0 prints it.
const HELP: &[&str] = &[
    "COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "(no subcommand)",
    "    Return details about all Redis commands.",
    "COUNT",
    "    Return the total number of commands in this Redis server.",
    "LIST",
    "    Return a list of all commands in this Redis server.",
    "INFO [<command-name> ...]",
    "    Return details about multiple Redis commands.",
    "    If no command names are given, documentation details for all",
    "    commands are returned.",
    "DOCS [<command-name> ...]",
    "    Return documentation details about multiple Redis commands.",
    "    If no command names are given, documentation details for all",
    "    commands are returned.",
    "GETKEYS <full-command>",
    "    Return the keys from a full Redis command.",
    "GETKEYSANDFLAGS <full-command>",
    "    Return the keys and the access flags from a full Redis command.",
    "HELP",
    "    Prints this help.",
];

/// COMMAND. Dispatch has already resolved the subcommand and checked its
/// arity (Redis does both before running a container command).
pub fn command(_e: &mut Engine, call: &mut Call) -> Reply {
    if call.argv.len() == 1 {
        return Reply::Array(implemented().map(info_entry).collect());
    }
    let sub = String::from_utf8_lossy(call.arg(1)).to_ascii_lowercase();
    let rest = &call.argv[2..];
    match sub.as_str() {
        "count" => Reply::Integer(implemented().count() as i64),
        "docs" => docs(rest),
        "info" => info(rest),
        "list" => list(rest),
        "help" => Reply::Array(HELP.iter().map(|l| Reply::Status(l.to_string())).collect()),
        "getkeys" => getkeys::reply(rest, false),
        "getkeysandflags" => getkeys::reply(rest, true),
        _ => errors::unknown_subcommand("command", call.arg(1)),
    }
}

/// Every table row the engine runs, subcommands after their container.
fn all_rows() -> impl Iterator<Item = &'static Spec> {
    implemented().flat_map(|spec| std::iter::once(spec).chain(spec.subcommands.iter()))
}

/// A command as COMMAND INFO and DOCS name it: `name` or `name|sub`, in any
/// case (Redis's `lookupCommandBySds`, strict: at most one `|`, and a
/// `|` only after a command that has subcommands).
fn lookup(name: &[u8]) -> Option<&'static Spec> {
    let name = String::from_utf8_lossy(name).to_ascii_lowercase();
    let mut parts = name.split('|');
    let base = parts.next()?;
    let spec = implemented().find(|s| s.name == base)?;
    match (parts.next(), parts.next()) {
        (None, _) => Some(spec),
        (Some(_), None) => spec.subcommands.iter().find(|s| s.name == name),
        _ => None,
    }
}

/// COMMAND DOCS: a flat map of name to docs; unknown names are skipped.
fn docs(names: &[Vec<u8>]) -> Reply {
    let mut out = Vec::new();
    let mut push = |spec: &Spec| {
        out.push(Reply::bulk(spec.name));
        out.push(spec_docs(spec));
    };
    if names.is_empty() {
        implemented().for_each(&mut push);
    }
    names.iter().filter_map(|n| lookup(n)).for_each(push);
    Reply::Array(out)
}

/// COMMAND INFO: one entry (or nil) per name, every command without names.
fn info(names: &[Vec<u8>]) -> Reply {
    if names.is_empty() {
        return Reply::Array(implemented().map(info_entry).collect());
    }
    Reply::Array(
        names
            .iter()
            .map(|name| lookup(name).map_or(Reply::Nil, info_entry))
            .collect(),
    )
}

/// One COMMAND INFO entry: name, arity, flags, first key, last key, step,
/// ACL categories, tips, key specs, subcommands (each an entry itself).
fn info_entry(spec: &Spec) -> Reply {
    let statuses = |bits: u32, names: &'static [&'static str]| {
        Reply::Array(
            packed::names(bits, names)
                .map(|s| Reply::Status(s.to_string()))
                .collect(),
        )
    };
    Reply::Array(vec![
        Reply::bulk(spec.name),
        Reply::Integer(i64::from(spec.arity)),
        statuses(spec.flags, packed::FLAGS),
        Reply::Integer(i64::from(spec.first_key)),
        Reply::Integer(i64::from(spec.last_key)),
        Reply::Integer(i64::from(spec.step)),
        statuses(spec.acl_categories, packed::ACL_CATEGORIES),
        Reply::Array(spec.tips.iter().map(|t| Reply::bulk(*t)).collect()),
        stored(spec.key_specs),
        Reply::Array(spec.subcommands.iter().map(info_entry).collect()),
    ])
}

/// COMMAND LIST [FILTERBY MODULE name | ACLCAT category | PATTERN glob]:
/// command names and their subcommands' full names. Redis answers in hash
/// order; the engine sorts, so its answer is the same on every run.
fn list(args: &[Vec<u8>]) -> Reply {
    enum Filter<'a> {
        All,
        /// No modules are loaded: nothing matches.
        Module,
        AclCat(&'a [u8]),
        Pattern(&'a [u8]),
    }
    let filter = match args {
        [] => Filter::All,
        [by, kind, arg] if by.eq_ignore_ascii_case(b"filterby") => {
            match kind.to_ascii_lowercase().as_slice() {
                b"module" => Filter::Module,
                b"aclcat" => Filter::AclCat(arg),
                b"pattern" => Filter::Pattern(arg),
                _ => return errors::syntax(),
            }
        }
        _ => return errors::syntax(),
    };
    let mut names: Vec<&[u8]> = all_rows()
        .filter(|spec| match filter {
            Filter::All => true,
            Filter::Module => false,
            // An unknown category matches no command.
            Filter::AclCat(cat) => {
                packed::names(spec.acl_categories, packed::ACL_CATEGORIES).any(|c| {
                    c.trim_start_matches('@')
                        .as_bytes()
                        .eq_ignore_ascii_case(cat)
                })
            }
            Filter::Pattern(p) => glob::matches_nocase(p, spec.name.as_bytes()),
        })
        .map(|spec| spec.name.as_bytes())
        .collect();
    crate::order::sort_bytes(&mut names);
    Reply::Array(names.into_iter().map(Reply::bulk).collect())
}

/// A reply the table stores as packed RESP2 text (`packed.rs`). The
/// generator wrote it from redis-server's own reply, and a test reads every
/// row back, so the `Nil` fallback is never seen.
fn stored(packed: &str) -> Reply {
    Reply::from_resp(&unpack(packed, &[])).unwrap_or(Reply::Nil)
}

/// A row's COMMAND DOCS entry (its packed text names the row's summary
/// and complexity, and a container's its subcommands' entries).
fn spec_docs(spec: &Spec) -> Reply {
    Reply::from_resp(&docs_resp(spec)).unwrap_or(Reply::Nil)
}

/// A row's COMMAND DOCS entry as RESP2: its packed text, with a
/// container's subcommands map (`packed::SUBS`, then the rows' places in
/// the map's order) made from its rows.
fn docs_resp(spec: &Spec) -> Vec<u8> {
    let fields = [spec.summary, spec.complexity];
    let Some((head, rest)) = spec.docs.split_once(char::from(packed::SUBS)) else {
        return unpack(spec.docs, &fields);
    };
    let (order, tail) = rest.split_at(spec.subcommands.len().min(rest.len()));
    let mut out = unpack(head, &fields);
    out.extend_from_slice(format!("*{}\r\n", 2 * order.len()).as_bytes());
    let rows = order
        .bytes()
        .filter_map(|i| spec.subcommands.get(usize::from(i.wrapping_sub(b' '))));
    for sub in rows {
        out.extend_from_slice(&Reply::bulk(sub.name).to_resp());
        out.extend_from_slice(&docs_resp(sub));
    }
    out.extend_from_slice(&unpack(tail, &fields));
    out
}

/// The value under `key` in a map sent as a flat list (COMMAND DOCS and
/// key specs are such lists, keys as bulk strings).
fn map_get<'a>(map: &'a Reply, key: &str) -> Option<&'a Reply> {
    let Reply::Array(items) = map else {
        return None;
    };
    items.chunks_exact(2).find_map(|kv| match &kv[0] {
        Reply::Bulk(k) if k == key.as_bytes() => Some(&kv[1]),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_stored_reply_reads_back() {
        for spec in super::super::SPECS
            .iter()
            .flat_map(|s| std::iter::once(s).chain(s.subcommands))
        {
            for resp in [docs_resp(spec), unpack(spec.key_specs, &[])] {
                let reply = Reply::from_resp(&resp);
                assert!(matches!(reply, Some(Reply::Array(_))), "{}", spec.name);
            }
        }
    }

    #[test]
    fn map_lookup_in_flat_lists() {
        let map = Reply::Array(vec![
            Reply::bulk("summary"),
            Reply::bulk("Do it"),
            Reply::bulk("n"),
        ]);
        assert_eq!(map_get(&map, "summary"), Some(&Reply::bulk("Do it")));
        assert_eq!(map_get(&map, "n"), None, "a key without a value");
        assert_eq!(map_get(&map, "since"), None);
        assert_eq!(map_get(&Reply::Integer(1), "summary"), None);
    }

    #[test]
    fn lookup_follows_redis_rules_for_bars() {
        assert_eq!(lookup(b"PING").map(|s| s.name), Some("ping"));
        assert_eq!(
            lookup(b"Command|Count").map(|s| s.name),
            Some("command|count")
        );
        assert!(lookup(b"ping|x").is_none(), "no subcommands");
        assert!(lookup(b"command|").is_none());
        assert!(lookup(b"|ping").is_none());
        assert!(lookup(b"command|count|x").is_none());
        assert!(lookup(b"").is_none());
        assert!(lookup(b"\xff").is_none());
    }
}
