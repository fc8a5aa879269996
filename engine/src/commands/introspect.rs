//! COMMAND and its subcommands, answered from the command table: COUNT,
//! DOCS, INFO, LIST, HELP, and GETKEYS (in `getkeys.rs`, from the key
//! specs).
//!
//! The engine knows only the commands it runs: those are the ones COMMAND
//! counts, lists and describes; any other name is unknown here, as a
//! command missing from a server is.

mod getkeys;

use super::{errors, glob, implemented, Call, Doc, Spec};
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
        out.push(doc_reply(&spec.docs, false));
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
    let statuses =
        |items: &[&str]| Reply::Array(items.iter().map(|s| Reply::Status(s.to_string())).collect());
    Reply::Array(vec![
        Reply::bulk(spec.name),
        Reply::Integer(i64::from(spec.arity)),
        statuses(spec.flags),
        Reply::Integer(i64::from(spec.first_key)),
        Reply::Integer(i64::from(spec.last_key)),
        Reply::Integer(i64::from(spec.step)),
        statuses(spec.acl_categories),
        Reply::Array(spec.tips.iter().map(|t| Reply::bulk(*t)).collect()),
        doc_reply(&spec.key_specs, false),
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
    let mut names: Vec<&str> = all_rows()
        .filter(|spec| match filter {
            Filter::All => true,
            Filter::Module => false,
            // An unknown category matches no command.
            Filter::AclCat(cat) => spec.acl_categories.iter().any(|c| {
                c.trim_start_matches('@')
                    .as_bytes()
                    .eq_ignore_ascii_case(cat)
            }),
            Filter::Pattern(p) => glob::matches_nocase(p, spec.name.as_bytes()),
        })
        .map(|spec| spec.name)
        .collect();
    names.sort_unstable();
    Reply::Array(names.into_iter().map(Reply::bulk).collect())
}

/// The key/value pairs of a map stored as a flat list.
fn pairs(doc: &Doc) -> impl Iterator<Item = (&Doc, &Doc)> {
    let items: &[Doc] = match doc {
        Doc::L(items) => items,
        _ => &[],
    };
    items.chunks_exact(2).map(|kv| (&kv[0], &kv[1]))
}

/// The value under `key` in a map stored as a flat list.
fn map_get<'a>(doc: &'a Doc, key: &str) -> Option<&'a Doc> {
    pairs(doc).find_map(|(k, v)| match k {
        Doc::S(k) if *k == key => Some(v),
        _ => None,
    })
}

/// A docs tree as Redis sends it over RESP2. Redis writes the entries of
/// `flags` and `doc_flags` lists as status replies (`+optional`) and every
/// other string as a bulk string; `status` says we are in such a list.
fn doc_reply(doc: &Doc, status: bool) -> Reply {
    match doc {
        Doc::S(s) if status => Reply::Status(s.to_string()),
        Doc::S(s) => Reply::bulk(*s),
        Doc::I(i) => Reply::Integer(*i),
        Doc::L(items) => {
            let mut out = Vec::with_capacity(items.len());
            let mut after_flags_key = false;
            for item in items.iter() {
                let flags_list = after_flags_key && matches!(item, Doc::L(_));
                out.push(doc_reply(item, status || flags_list));
                after_flags_key = matches!(item, Doc::S("flags" | "doc_flags"));
            }
            Reply::Array(out)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static TREE: Doc = Doc::L(&[
        Doc::S("summary"),
        Doc::S("Do it"),
        Doc::S("doc_flags"),
        Doc::L(&[Doc::S("deprecated")]),
        Doc::S("arguments"),
        Doc::L(&[Doc::L(&[
            Doc::S("name"),
            Doc::S("flags"),
            Doc::S("key_spec_index"),
            Doc::I(0),
            Doc::S("flags"),
            Doc::L(&[Doc::S("optional"), Doc::S("multiple")]),
        ])]),
    ]);

    #[test]
    fn flag_lists_are_status_replies_and_the_rest_bulk() {
        let text = doc_reply(&TREE, false).to_cli();
        assert_eq!(
            text,
            "1) \"summary\"\n2) \"Do it\"\n3) \"doc_flags\"\n4) 1) deprecated\n\
             5) \"arguments\"\n6) 1) 1) \"name\"\n      2) \"flags\"\n\
             \x20     3) \"key_spec_index\"\n      4) (integer) 0\n      5) \"flags\"\n\
             \x20     6) 1) optional\n         2) multiple\n"
        );
    }

    #[test]
    fn map_lookup_in_flat_lists() {
        assert!(matches!(map_get(&TREE, "summary"), Some(Doc::S("Do it"))));
        assert!(map_get(&TREE, "since").is_none());
        assert!(map_get(&Doc::I(1), "summary").is_none());
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
