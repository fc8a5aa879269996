//! COMMAND GETKEYS and GETKEYSANDFLAGS: where the keys are in a command
//! line, read from the table's key specs (Redis's `getKeysUsingKeySpecs`).
//!
//! Redis falls back to a command's own C key finder when a spec has the
//! `incomplete` or `variable_flags` flag or an `unknown` part: in 7.0,
//! SET, BITFIELD, MIGRATE, SORT and SORT_RO. SET's finder is ported below
//! ([`own_finder`]); for the others (when they are implemented) the specs
//! are read leniently: the positions of their ordinary keys are right,
//! the extra keys and per-call flags of the C finder are not there.

use super::{implemented, map_get, stored, Spec};
use crate::commands::{arity_ok, num::parse_i64};
use crate::reply::Reply;

/// Where a key spec starts looking.
enum Begin<'a> {
    Index(i64),
    /// After the first `keyword` found from `startfrom` (negative: from
    /// the end, searching backwards).
    Keyword(&'a str, i64),
    Unknown,
}

/// How a key spec finds keys from there.
enum Find {
    /// Up to `lastkey` (negative: from the end; with a `limit`, that share
    /// of the remaining arguments), every `keystep`.
    Range {
        lastkey: i64,
        keystep: i64,
        limit: i64,
    },
    /// A count at `keynumidx`, then that many keys from `firstkey`.
    Keynum {
        keynumidx: i64,
        firstkey: i64,
        keystep: i64,
    },
    Unknown,
}

struct KeySpec<'a> {
    flags: Vec<&'a str>,
    begin: Begin<'a>,
    find: Find,
}

impl KeySpec<'_> {
    fn has(&self, flag: &str) -> bool {
        self.flags.contains(&flag)
    }
}

fn int(reply: Option<&Reply>) -> i64 {
    match reply {
        Some(Reply::Integer(n)) => *n,
        _ => 0,
    }
}

fn text(reply: Option<&Reply>) -> &str {
    match reply {
        Some(Reply::Bulk(b)) => std::str::from_utf8(b).unwrap_or(""),
        Some(Reply::Status(s)) => s,
        _ => "",
    }
}

/// Reads one key spec from its COMMAND INFO map.
fn parse(doc: &Reply) -> KeySpec<'_> {
    let flags = match map_get(doc, "flags") {
        Some(Reply::Array(items)) => items.iter().map(|f| text(Some(f))).collect(),
        _ => Vec::new(),
    };
    let part = |name: &str| {
        let part = map_get(doc, name);
        let kind = text(part.and_then(|p| map_get(p, "type")));
        let spec = part.and_then(|p| map_get(p, "spec"));
        (kind, move |key: &str| spec.and_then(|s| map_get(s, key)))
    };
    let (kind, field) = part("begin_search");
    let begin = match kind {
        "index" => Begin::Index(int(field("index"))),
        "keyword" => Begin::Keyword(text(field("keyword")), int(field("startfrom"))),
        _ => Begin::Unknown,
    };
    let (kind, field) = part("find_keys");
    let find = match kind {
        "range" => Find::Range {
            lastkey: int(field("lastkey")),
            keystep: int(field("keystep")),
            limit: int(field("limit")),
        },
        "keynum" => Find::Keynum {
            keynumidx: int(field("keynumidx")),
            firstkey: int(field("firstkey")),
            keystep: int(field("keystep")),
        },
        _ => Find::Unknown,
    };
    KeySpec { flags, begin, find }
}

/// The keys of `argv` (the command line being asked about) with the
/// flags of the spec that found each. `None` when a spec does not fit
/// the line and `lenient` is off (Redis's -1); a lenient read skips it.
fn find_keys<'a>(
    specs: &[KeySpec<'a>],
    argv: &[Vec<u8>],
    lenient: bool,
) -> Option<Vec<(usize, Vec<&'a str>)>> {
    let argc = argv.len() as i64;
    let mut keys = Vec::new();
    for spec in specs {
        if spec.has("not_key") {
            continue;
        }
        let Some((first, last, step)) = spec_range(spec, argv) else {
            if lenient {
                continue;
            }
            return None;
        };
        if first == 0 {
            continue; // the keyword is not on the line: no keys here
        }
        if last >= argc || last < first || first >= argc {
            if lenient {
                continue;
            }
            return None;
        }
        let mut i = first;
        while i <= last {
            keys.push((i as usize, spec.flags.clone()));
            i += step.max(1);
        }
        if spec.has("incomplete") && !lenient {
            return None;
        }
    }
    Some(keys)
}

/// First key, last key and step of one spec on this line; `first` is 0
/// when a keyword spec finds no keyword. `None`: the spec cannot say.
fn spec_range(spec: &KeySpec, argv: &[Vec<u8>]) -> Option<(i64, i64, i64)> {
    let argc = argv.len() as i64;
    let first = match spec.begin {
        Begin::Index(pos) => pos,
        Begin::Keyword(keyword, from) => {
            let start = if from > 0 { from } else { argc + from };
            let end = if from > 0 { argc - 1 } else { 1 };
            let mut first = 0;
            let mut i = start;
            // As in C, the end index itself is never examined.
            while i != end && (1..argc).contains(&i) {
                if argv[i as usize].eq_ignore_ascii_case(keyword.as_bytes()) {
                    first = i + 1;
                    break;
                }
                i += if start <= end { 1 } else { -1 };
            }
            if first == 0 {
                return Some((0, 0, 1));
            }
            first
        }
        Begin::Unknown => return None,
    };
    match spec.find {
        Find::Range {
            lastkey,
            keystep,
            limit,
        } => {
            let last = if lastkey >= 0 {
                first + lastkey
            } else if limit == 0 {
                argc + lastkey
            } else {
                first + ((argc - first) / limit + lastkey)
            };
            Some((first, last, keystep))
        }
        Find::Keynum {
            keynumidx,
            firstkey,
            keystep,
        } => {
            let at = usize::try_from(first + keynumidx).ok()?;
            let numkeys = parse_i64(argv.get(at)?)?;
            if numkeys < 0 {
                return None;
            }
            let first = first + firstkey;
            Some((first, first.saturating_add(numkeys) - 1, keystep))
        }
        Find::Unknown => None,
    }
}

/// The C key finders Redis uses where the specs cannot tell, for the
/// commands the engine runs. SET (`setGetKeys`): its key is read and
/// updated with GET, overwritten without; an argument counts as GET as C
/// compares it, so `get` followed by a NUL byte does too.
fn own_finder(name: &str, argv: &[Vec<u8>]) -> Option<Vec<(usize, Vec<&'static str>)>> {
    match name {
        "set" => {
            let is_get = |arg: &Vec<u8>| {
                arg.len() >= 3
                    && arg[..3].eq_ignore_ascii_case(b"get")
                    && arg.get(3).is_none_or(|&b| b == 0)
            };
            let flags = if argv.iter().skip(3).any(is_get) {
                vec!["RW", "access", "update"]
            } else {
                vec!["OW", "update"]
            };
            Some(vec![(1, flags)])
        }
        _ => None,
    }
}

/// Redis's `lookupCommand` for a command line (not strict): a container's
/// subcommand when a second word follows.
pub(super) fn lookup_line(argv: &[Vec<u8>]) -> Option<&'static Spec> {
    let name = String::from_utf8_lossy(&argv[0]).to_ascii_lowercase();
    let spec = implemented().find(|s| s.name == name)?;
    if argv.len() == 1 || spec.subcommands.is_empty() {
        return Some(spec);
    }
    let full = format!(
        "{name}|{}",
        String::from_utf8_lossy(&argv[1]).to_ascii_lowercase()
    );
    spec.subcommands.iter().find(|s| s.name == full)
}

/// The positions of a command line's keys as Redis's `getKeysFromCommand`
/// finds them (client-side caching remembers the keys a read names); none
/// for an unknown command or one without keys.
pub fn key_positions(argv: &[Vec<u8>]) -> Vec<usize> {
    let Some(cmd) = lookup_line(argv) else {
        return Vec::new();
    };
    let key_specs = stored(cmd.key_specs);
    let specs: Vec<KeySpec> = match &key_specs {
        Reply::Array(items) => items.iter().map(parse).collect(),
        _ => Vec::new(),
    };
    let strict = !specs.iter().any(|s| s.has("variable_flags"));
    strict
        .then(|| find_keys(&specs, argv, false))
        .flatten()
        .or_else(|| own_finder(cmd.name, argv))
        .or_else(|| find_keys(&specs, argv, true))
        .unwrap_or_default()
        .into_iter()
        .map(|(pos, _)| pos)
        .collect()
}

/// The keys' positions on a line (possibly still being typed), read
/// leniently: what the specs can tell, else the command's own finder.
pub(super) fn positions(argv: &[Vec<u8>]) -> Vec<usize> {
    let Some(cmd) = super::docs::row(argv) else {
        return Vec::new();
    };
    let key_specs = stored(cmd.key_specs);
    let specs: Vec<KeySpec> = match &key_specs {
        Reply::Array(items) => items.iter().map(parse).collect(),
        _ => return Vec::new(),
    };
    let keys = own_finder(cmd.name, argv)
        .or_else(|| find_keys(&specs, argv, true))
        .unwrap_or_default();
    // In line order already (specs list keys left to right); no sort, so
    // the wasm carries no extra sort for it.
    let mut positions: Vec<usize> = Vec::new();
    for (pos, _) in keys {
        if pos < argv.len() && !positions.contains(&pos) {
            positions.push(pos);
        }
    }
    positions
}

/// COMMAND GETKEYS <line> (and GETKEYSANDFLAGS, `with_flags`).
pub fn reply(argv: &[Vec<u8>], with_flags: bool) -> Reply {
    let Some(cmd) = lookup_line(argv) else {
        return Reply::error("ERR Invalid command specified");
    };
    let key_specs = stored(cmd.key_specs);
    let specs: Vec<KeySpec> = match &key_specs {
        Reply::Array(items) => items.iter().map(parse).collect(),
        _ => Vec::new(),
    };
    if specs.iter().all(|s| s.has("not_key")) {
        return Reply::error("ERR The command has no key arguments");
    }
    if !arity_ok(cmd.arity.into(), argv.len()) {
        return Reply::error("ERR Invalid number of arguments specified for command");
    }
    let strict = !specs.iter().any(|s| s.has("variable_flags"));
    let keys = strict
        .then(|| find_keys(&specs, argv, false))
        .flatten()
        .or_else(|| own_finder(cmd.name, argv))
        .or_else(|| find_keys(&specs, argv, true))
        .unwrap_or_default();
    if keys.is_empty() {
        return if cmd.flags & super::super::packed::NO_MANDATORY_KEYS != 0 {
            Reply::Array(Vec::new())
        } else {
            Reply::error("ERR Invalid arguments specified for command")
        };
    }
    Reply::Array(
        keys.into_iter()
            .map(|(pos, flags)| {
                let key = Reply::Bulk(argv[pos].clone());
                if !with_flags {
                    return key;
                }
                let flags = flags.iter().map(|f| Reply::Status(f.to_string())).collect();
                Reply::Array(vec![key, Reply::Array(flags)])
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(words: &[&str]) -> Vec<Vec<u8>> {
        words.iter().map(|w| w.as_bytes().to_vec()).collect()
    }

    fn s(text: &str) -> Reply {
        Reply::bulk(text)
    }

    fn map(pairs: Vec<(&str, Reply)>) -> Reply {
        Reply::Array(pairs.into_iter().flat_map(|(k, v)| [s(k), v]).collect())
    }

    fn key_spec(flags: &[&str], begin: Reply, find: Reply) -> Reply {
        let flags = flags.iter().map(|f| Reply::Status(f.to_string())).collect();
        map(vec![
            ("flags", Reply::Array(flags)),
            ("begin_search", begin),
            ("find_keys", find),
        ])
    }

    fn xread_like() -> Reply {
        key_spec(
            &["RO", "access"],
            map(vec![
                ("type", s("keyword")),
                (
                    "spec",
                    map(vec![
                        ("keyword", s("STREAMS")),
                        ("startfrom", Reply::Integer(1)),
                    ]),
                ),
            ]),
            map(vec![
                ("type", s("range")),
                (
                    "spec",
                    map(vec![
                        ("lastkey", Reply::Integer(-1)),
                        ("keystep", Reply::Integer(1)),
                        ("limit", Reply::Integer(2)),
                    ]),
                ),
            ]),
        )
    }

    fn eval_like() -> Reply {
        key_spec(
            &["RW"],
            map(vec![
                ("type", s("index")),
                ("spec", map(vec![("index", Reply::Integer(2))])),
            ]),
            map(vec![
                ("type", s("keynum")),
                (
                    "spec",
                    map(vec![
                        ("keynumidx", Reply::Integer(0)),
                        ("firstkey", Reply::Integer(1)),
                        ("keystep", Reply::Integer(1)),
                    ]),
                ),
            ]),
        )
    }

    fn positions(spec: &Reply, words: &[&str]) -> Option<Vec<usize>> {
        let specs = [parse(spec)];
        find_keys(&specs, &line(words), false).map(|k| k.into_iter().map(|(p, _)| p).collect())
    }

    #[test]
    fn keyword_specs_take_half_of_the_rest() {
        let l = ["XREAD", "COUNT", "2", "STREAMS", "a", "b", "0", "0"];
        assert_eq!(positions(&xread_like(), &l), Some(vec![4, 5]));
        assert_eq!(
            positions(&xread_like(), &["XREAD", "COUNT", "2"]),
            Some(vec![])
        );
    }

    #[test]
    fn keynum_specs_read_the_count() {
        assert_eq!(
            positions(&eval_like(), &["EVAL", "s", "2", "a", "b", "x"]),
            Some(vec![3, 4])
        );
        assert_eq!(
            positions(&eval_like(), &["EVAL", "s", "0"]),
            None,
            "no keys: invalid"
        );
        assert_eq!(positions(&eval_like(), &["EVAL", "s", "x"]), None);
        assert_eq!(positions(&eval_like(), &["EVAL", "s", "5", "a"]), None);
        assert_eq!(positions(&eval_like(), &["EVAL", "s", "-1"]), None);
    }
}
