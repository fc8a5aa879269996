//! Generates `engine/src/commands/table.rs` from a real redis-server's
//! COMMAND INFO and COMMAND DOCS, for every command the engine handles and
//! every command the roadmap names.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use engine::commands::packed;
use engine::Reply;

use crate::resp::{args, Conn};

/// Commands the table carries even before the engine handles them (the
/// string, key and server families of issue 2).
pub const PLANNED: &[&str] = &[
    "get",
    "set",
    "setnx",
    "setex",
    "psetex",
    "getset",
    "getdel",
    "getex",
    "mget",
    "mset",
    "msetnx",
    "append",
    "strlen",
    "getrange",
    "setrange",
    "incr",
    "incrby",
    "decr",
    "decrby",
    "incrbyfloat",
    "del",
    "unlink",
    "exists",
    "type",
    "expire",
    "pexpire",
    "expireat",
    "pexpireat",
    "ttl",
    "pttl",
    "expiretime",
    "pexpiretime",
    "persist",
    "touch",
    "rename",
    "renamenx",
    "keys",
    "dbsize",
    "flushdb",
    "flushall",
    "ping",
    "echo",
    "time",
    "debug",
    "command",
];

/// Where the generated table lives.
pub fn table_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../engine/src/commands/table.rs")
}

/// The command names the table covers: the engine's handlers and
/// [`PLANNED`], lowercase, sorted, each once.
pub fn names() -> Vec<String> {
    let mut names: Vec<String> = engine::commands::handler_names()
        .into_iter()
        .chain(PLANNED.iter().copied())
        .map(str::to_ascii_lowercase)
        .collect();
    names.sort();
    names.dedup();
    names
}

/// A COMMAND DOCS reply as a tree, for reading fields and the syntax line;
/// the table stores it back as RESP2 ([`Tree::literal`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Tree {
    S(String),
    I(i64),
    L(Vec<Tree>),
}

/// Where a string sits in COMMAND DOCS, which decides how Redis sends it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Place {
    Plain,
    /// The list after a `flags` or `doc_flags` key.
    FlagList,
    /// An element of such a list: Redis sends it as a status reply.
    Flag,
}

/// Converts a COMMAND DOCS reply to a tree, checking the one rule that
/// lets `Tree` omit the reply kinds: strings are status replies exactly in
/// the lists after `flags` and `doc_flags` keys, bulk strings elsewhere.
/// Subcommands are sorted by name: Redis lists them in an order that
/// changes from one server start to the next.
pub fn tree(reply: &Reply) -> Result<Tree, String> {
    to_tree(&crate::compare::canonical(reply), Place::Plain)
}

fn to_tree(reply: &Reply, place: Place) -> Result<Tree, String> {
    match (reply, place) {
        (Reply::Status(s), Place::Flag) => Ok(Tree::S(s.clone())),
        (Reply::Bulk(b), Place::Plain) => String::from_utf8(b.clone())
            .map(Tree::S)
            .map_err(|_| "a docs string is not UTF-8".to_string()),
        (Reply::Integer(n), Place::Plain) => Ok(Tree::I(*n)),
        (Reply::Array(items), Place::FlagList) => items
            .iter()
            .map(|item| to_tree(item, Place::Flag))
            .collect::<Result<_, _>>()
            .map(Tree::L),
        (Reply::Array(items), Place::Plain) => {
            let mut out = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                let after_flags_key = i > 0
                    && matches!(&items[i - 1], Reply::Bulk(k) if k == b"flags" || k == b"doc_flags");
                let place = if after_flags_key && matches!(item, Reply::Array(_)) {
                    Place::FlagList
                } else {
                    Place::Plain
                };
                out.push(to_tree(item, place)?);
            }
            Ok(Tree::L(out))
        }
        (other, _) => Err(format!(
            "COMMAND DOCS sent {:?} where the flags rule expects otherwise",
            other.to_cli()
        )),
    }
}

impl Tree {
    /// The value after `key` in a map-shaped list.
    pub fn get(&self, key: &str) -> Option<&Tree> {
        let Tree::L(items) = self else { return None };
        items
            .chunks(2)
            .find(|pair| matches!(&pair[0], Tree::S(k) if k == key))
            .and_then(|pair| pair.get(1))
    }

    pub fn str(&self, key: &str) -> Option<&str> {
        match self.get(key)? {
            Tree::S(s) => Some(s),
            _ => None,
        }
    }

    pub fn list(&self, key: &str) -> &[Tree] {
        match self.get(key) {
            Some(Tree::L(items)) => items,
            _ => &[],
        }
    }

    fn has_flag(&self, flag: &str) -> bool {
        self.list("flags")
            .iter()
            .any(|f| matches!(f, Tree::S(s) if s == flag))
    }

    /// The tree as Redis sends it, by the rule [`tree`] checked: strings
    /// in the lists after `flags` and `doc_flags` keys are status replies.
    pub fn reply(&self) -> Reply {
        self.reply_in(false)
    }

    fn reply_in(&self, flag_list: bool) -> Reply {
        match self {
            Tree::S(s) if flag_list => Reply::Status(s.clone()),
            Tree::S(s) => Reply::bulk(s.as_str()),
            Tree::I(n) => Reply::Integer(*n),
            Tree::L(items) => Reply::Array(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| {
                        let after_flags_key = i > 0
                            && matches!(&items[i - 1], Tree::S(k) if k == "flags" || k == "doc_flags");
                        item.reply_in(flag_list || (after_flags_key && matches!(item, Tree::L(_))))
                    })
                    .collect(),
            ),
        }
    }

    /// A Rust string literal holding the tree's RESP2 bytes, packed
    /// (`engine::commands::packed`).
    fn literal(&self, fields: &[&str]) -> Result<String, String> {
        let resp = String::from_utf8_lossy(&self.reply().to_resp()).into_owned();
        let packed =
            packed::pack(resp.as_bytes(), fields).ok_or_else(|| format!("cannot pack {resp:?}"))?;
        Ok(format!("{packed:?}"))
    }
}

/// One argument's syntax as redis.io shows it: `[optional]`, `<a | b>` for
/// a required choice (or one after a token), `TOKEN value`, and
/// `x [x ...]` for repeats.
pub fn argument_syntax(arg: &Tree) -> String {
    let kind = arg.str("type").unwrap_or("string");
    let display = arg
        .str("display_text")
        .or_else(|| arg.str("name"))
        .unwrap_or("");
    let token = arg
        .str("token")
        .map(|t| if t.is_empty() { "\"\"" } else { t });
    let optional = arg.has_flag("optional");
    let children = || arg.list("arguments").iter().map(argument_syntax);
    let body = match kind {
        "block" => children().collect::<Vec<_>>().join(" "),
        "oneof" => children().collect::<Vec<_>>().join(" | "),
        "pure-token" => String::new(),
        _ => display.to_string(),
    };
    let angle = kind == "oneof" && (!optional || token.is_some());
    let mut out = String::new();
    if optional {
        out.push('[');
    }
    if let Some(token) = token {
        out.push_str(token);
        if kind != "pure-token" {
            out.push(' ');
        }
    }
    if angle {
        out.push('<');
    }
    out.push_str(&body);
    if angle {
        out.push('>');
    }
    if arg.has_flag("multiple") {
        match token {
            Some(token) if arg.has_flag("multiple_token") => {
                let _ = write!(out, " [{token} {body} ...]");
            }
            _ => {
                let _ = write!(out, " [{body} ...]");
            }
        }
    }
    if optional {
        out.push(']');
    }
    out
}

/// A command's one-line syntax, e.g. `GETRANGE key start end`.
pub fn syntax(name: &str, docs: &Tree) -> String {
    let mut out = name.to_ascii_uppercase().replace('|', " ");
    for arg in docs.list("arguments") {
        out.push(' ');
        out.push_str(&argument_syntax(arg));
    }
    out
}

/// One COMMAND INFO entry, checked: name, arity, flags, first key, last
/// key, step, ACL categories, tips, key specs, subcommands.
struct Info {
    name: String,
    arity: i64,
    flags: Vec<String>,
    first_key: i64,
    last_key: i64,
    step: i64,
    acl_categories: Vec<String>,
    tips: Vec<String>,
    key_specs: Tree,
    /// Sorted by name (Redis's order changes from one start to the next).
    subcommands: Vec<Info>,
}

fn parse_info(entry: &Reply) -> Result<Info, String> {
    let Reply::Array(fields) = entry else {
        return Err(format!("a COMMAND INFO entry is {:?}", entry.to_cli()));
    };
    let name = match fields.first() {
        Some(Reply::Bulk(b)) => String::from_utf8_lossy(b).into_owned(),
        _ => return Err("a COMMAND INFO entry has no name".into()),
    };
    let int = |i: usize| match fields.get(i) {
        Some(Reply::Integer(n)) => Ok(*n),
        _ => Err(format!("COMMAND INFO {name}: field {i} is not an integer")),
    };
    let list = |i: usize| match fields.get(i) {
        Some(Reply::Array(items)) => Ok(items.as_slice()),
        _ => Err(format!("COMMAND INFO {name}: field {i} is not a list")),
    };
    // Flags and ACL categories are status replies, tips bulk strings.
    let strings = |i: usize, status: bool| -> Result<Vec<String>, String> {
        list(i)?
            .iter()
            .map(|item| match item {
                Reply::Status(s) if status => Ok(s.clone()),
                Reply::Bulk(b) if !status => Ok(String::from_utf8_lossy(b).into_owned()),
                _ => Err(format!("COMMAND INFO {name}: field {i} holds {item:?}")),
            })
            .collect()
    };
    let mut subcommands = list(9)?
        .iter()
        .map(parse_info)
        .collect::<Result<Vec<_>, _>>()?;
    subcommands.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(Info {
        arity: int(1)?,
        flags: strings(2, true)?,
        first_key: int(3)?,
        last_key: int(4)?,
        step: int(5)?,
        acl_categories: strings(6, true)?,
        tips: strings(7, false)?,
        key_specs: tree(&Reply::Array(list(8)?.to_vec()))?,
        subcommands,
        name,
    })
}

fn info(conn: &mut Conn, name: &str) -> Result<Info, String> {
    let reply = conn
        .call(&args(&["COMMAND", "INFO", name]))
        .map_err(|e| e.to_string())?;
    match reply {
        Reply::Array(one) if one.len() == 1 && one[0] != Reply::Nil => parse_info(&one[0]),
        Reply::Array(_) => Err(format!("redis-server does not know the command {name:?}")),
        other => Err(format!("COMMAND INFO {name}: {:?}", other.to_cli())),
    }
}

fn docs(conn: &mut Conn, name: &str) -> Result<Tree, String> {
    let reply = conn
        .call(&args(&["COMMAND", "DOCS", name]))
        .map_err(|e| e.to_string())?;
    match reply {
        Reply::Array(pair) if pair.len() == 2 && pair[0] == Reply::bulk(name) => tree(&pair[1]),
        other => Err(format!("COMMAND DOCS {name}: {:?}", other.to_cli())),
    }
}

const HEADER: &str = r#"//! The command table, as data: one row per command, sorted by name, from
//! redis-server's COMMAND INFO (arity, flags, key positions, ACL categories,
//! tips, key specs, subcommands) and COMMAND DOCS (summary, since, group,
//! complexity, and the whole docs entry, which also gives the syntax line).

#[derive(Debug)]
pub struct Spec {
    /// Lowercase, as Redis's table spells it (`container|sub` for a
    /// subcommand).
    pub name: &'static str,
    /// Negative: at least that many arguments, the name included.
    pub arity: i8,
    /// COMMAND INFO's flags: bit `i` is `packed::FLAGS[i]`.
    pub flags: u32,
    pub first_key: i8,
    pub last_key: i8,
    pub step: i8,
    /// COMMAND INFO's ACL categories (e.g. `@write`): bit `i` is
    /// `packed::ACL_CATEGORIES[i]`.
    pub acl_categories: u32,
    /// COMMAND INFO's tips, e.g. `nondeterministic_output`.
    pub tips: &'static [&'static str],
    /// COMMAND INFO's key specifications, as RESP2 bytes (kept as text
    /// rather than as a tree of slices: it is a tenth of the size in wasm),
    /// packed (`packed.rs`: frequent elements as two-byte codes).
    pub key_specs: &'static str,
    /// The subcommands' rows, sorted by name.
    pub subcommands: &'static [Spec],
    pub group: &'static str,
    pub summary: &'static str,
    pub complexity: &'static str,
    /// The syntax line, e.g. `SET key value [NX | XX] ...`.
    pub syntax: &'static str,
    /// This command's entry in COMMAND DOCS, after its name, as RESP2
    /// bytes, exactly as redis-server sends it, packed (`packed.rs`; its
    /// summary and complexity named, not held: `unpack(docs, &[summary,
    /// complexity])`).
    pub docs: &'static str,
}
"#;

fn str_list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| format!("{s:?}")).collect();
    format!("&[{}]", quoted.join(", "))
}

/// A row's docs literal: packed, naming its summary and complexity; a
/// container's `subcommands` map (its rows' names and entries, which the
/// rows hold) as `packed::SUBS` and the rows' places in the map's order,
/// one byte each (`' '` + index), when the map lists exactly its rows.
fn docs_literal(info: &Info, docs: &Tree, fields: &[&str]) -> Result<String, String> {
    let Some(Tree::L(map)) = docs.get("subcommands") else {
        return docs.literal(fields);
    };
    let mut subs = format!("*{}\r\n", map.len()).into_bytes();
    let mut order = String::new();
    for pair in map.chunks(2) {
        let [Tree::S(name), sub_docs] = pair else {
            return docs.literal(fields);
        };
        let Some(i) = info.subcommands.iter().position(|s| &s.name == name) else {
            return docs.literal(fields);
        };
        order.push(char::from(
            b' ' + u8::try_from(i).map_err(|e| e.to_string())?,
        ));
        subs.extend_from_slice(&Reply::bulk(name.as_str()).to_resp());
        subs.extend_from_slice(&sub_docs.reply().to_resp());
    }
    if order.len() != info.subcommands.len() || order.bytes().any(|b| b > b'~') {
        return docs.literal(fields);
    }
    let resp = docs.reply().to_resp();
    let mut key_then_subs = Reply::bulk("subcommands").to_resp();
    key_then_subs.extend_from_slice(&subs);
    let Some(at) = resp
        .windows(key_then_subs.len())
        .position(|w| w == key_then_subs)
    else {
        return docs.literal(fields);
    };
    let head = &resp[..at + key_then_subs.len() - subs.len()];
    let tail = &resp[at + key_then_subs.len()..];
    let cannot = || format!("cannot pack {}", String::from_utf8_lossy(&resp));
    let head = packed::pack(head, fields).ok_or_else(cannot)?;
    let tail = packed::pack(tail, fields).ok_or_else(cannot)?;
    let subs = char::from(packed::SUBS);
    Ok(format!("{:?}", format!("{head}{subs}{order}{tail}")))
}

/// One `Spec { .. }` literal, indented by `pad`, ending in `,\n`.
fn spec_literal(info: &Info, docs: &Tree, pad: &str) -> Result<String, String> {
    let field = |key: &str| docs.str(key).unwrap_or("").to_string();
    let mut subcommands = String::new();
    for sub in &info.subcommands {
        let sub_docs = docs
            .get("subcommands")
            .and_then(|map| map.get(&sub.name))
            .ok_or_else(|| format!("COMMAND DOCS {} lacks {}", info.name, sub.name))?;
        subcommands.push_str(&spec_literal(sub, sub_docs, &format!("{pad}        "))?);
    }
    let subcommands = if subcommands.is_empty() {
        "&[]".to_string()
    } else {
        format!("&[\n{subcommands}{pad}    ]")
    };
    let mut out = String::new();
    let _ = writeln!(out, "{pad}Spec {{");
    let _ = writeln!(out, "{pad}    name: {:?},", info.name);
    let small =
        |n: i64| i8::try_from(n).map_err(|_| format!("{}: {n} does not fit an i8", info.name));
    let bit_set = |list: &[String], names: &[&str]| {
        let list: Vec<&str> = list.iter().map(String::as_str).collect();
        packed::bits(&list, names)
            .map(|b| format!("{b:#x}"))
            .ok_or_else(|| format!("{}: {list:?} is not in the order of {names:?}", info.name))
    };
    let _ = writeln!(
        out,
        "{pad}    arity: {}, flags: {}, first_key: {}, last_key: {}, step: {},",
        small(info.arity)?,
        bit_set(&info.flags, packed::FLAGS)?,
        small(info.first_key)?,
        small(info.last_key)?,
        small(info.step)?
    );
    let _ = writeln!(
        out,
        "{pad}    acl_categories: {}, tips: {},",
        bit_set(&info.acl_categories, packed::ACL_CATEGORIES)?,
        str_list(&info.tips)
    );
    let _ = writeln!(out, "{pad}    key_specs: {},", info.key_specs.literal(&[])?);
    let _ = writeln!(out, "{pad}    subcommands: {subcommands},");
    let _ = writeln!(out, "{pad}    group: {:?},", field("group"));
    let _ = writeln!(out, "{pad}    summary: {:?},", field("summary"));
    let _ = writeln!(out, "{pad}    complexity: {:?},", field("complexity"));
    let _ = writeln!(out, "{pad}    syntax: {:?},", syntax(&info.name, docs));
    let fields = [field("summary"), field("complexity")];
    let fields = [fields[0].as_str(), fields[1].as_str()];
    let _ = writeln!(
        out,
        "{pad}    docs: {},",
        docs_literal(info, docs, &fields)?
    );
    let _ = writeln!(out, "{pad}}},");
    Ok(out)
}

/// The text of table.rs, from the server on `port`.
pub fn generate(port: u16) -> Result<String, String> {
    let mut conn = Conn::connect(port).map_err(|e| e.to_string())?;
    let version = match conn.call(&args(&["INFO", "server"])) {
        Ok(Reply::Bulk(text)) => String::from_utf8_lossy(&text)
            .lines()
            .find_map(|l| l.strip_prefix("redis_version:").map(str::to_string))
            .unwrap_or_default(),
        other => return Err(format!("INFO server: {other:?}")),
    };
    let mut out = format!(
        "// @generated by `cargo run -p tests --bin gen-table` from redis-server {version}: do not edit.\n\n"
    );
    out.push_str(HEADER);
    out.push_str("\n#[rustfmt::skip]\npub static SPECS: &[Spec] = &[\n");
    for name in names() {
        let info = info(&mut conn, &name)?;
        let docs = docs(&mut conn, &name)?;
        out.push_str(&spec_literal(&info, &docs, "    ")?);
    }
    out.push_str("];\n");
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(text: &str) -> Tree {
        Tree::S(text.into())
    }

    fn arg(fields: &[(&str, Tree)]) -> Tree {
        Tree::L(fields.iter().flat_map(|(k, v)| [s(k), v.clone()]).collect())
    }

    fn flags(names: &[&str]) -> Tree {
        Tree::L(names.iter().map(|n| s(n)).collect())
    }

    #[test]
    fn syntax_of_tokens_choices_and_repeats() {
        let key = arg(&[("name", s("key")), ("type", s("key"))]);
        let keys = arg(&[
            ("name", s("key")),
            ("type", s("key")),
            ("flags", flags(&["multiple"])),
        ]);
        let nx = arg(&[
            ("name", s("nx")),
            ("type", s("pure-token")),
            ("token", s("NX")),
        ]);
        let xx = arg(&[
            ("name", s("xx")),
            ("type", s("pure-token")),
            ("token", s("XX")),
        ]);
        let cond = |f: &[&str]| {
            arg(&[
                ("name", s("c")),
                ("type", s("oneof")),
                ("flags", flags(f)),
                ("arguments", Tree::L(vec![nx.clone(), xx.clone()])),
            ])
        };
        let get = arg(&[
            ("name", s("pattern")),
            ("type", s("pattern")),
            ("token", s("GET")),
            ("flags", flags(&["optional", "multiple", "multiple_token"])),
        ]);
        let docs = arg(&[(
            "arguments",
            Tree::L(vec![key, keys, cond(&["optional"]), cond(&[]), get]),
        )]);
        assert_eq!(
            syntax("x", &docs),
            "X key key [key ...] [NX | XX] <NX | XX> [GET pattern [GET pattern ...]]"
        );
    }

    #[test]
    fn flags_must_be_statuses_and_other_strings_bulks() {
        let good = Reply::Array(vec![
            Reply::bulk("flags"),
            Reply::Array(vec![Reply::Status("optional".into())]),
            Reply::bulk("since"),
            Reply::bulk("1.0.0"),
        ]);
        assert_eq!(
            tree(&good).unwrap(),
            Tree::L(vec![
                s("flags"),
                flags(&["optional"]),
                s("since"),
                s("1.0.0")
            ])
        );
        let status_elsewhere = Reply::Array(vec![Reply::bulk("since"), Reply::Status("x".into())]);
        assert!(tree(&status_elsewhere).is_err());
        let bulk_flag = Reply::Array(vec![
            Reply::bulk("doc_flags"),
            Reply::Array(vec![Reply::bulk("syscmd")]),
        ]);
        assert!(tree(&bulk_flag).is_err());
    }

    #[test]
    fn the_literal_is_the_resp_of_the_reply_the_tree_came_from() {
        let reply = Reply::Array(vec![
            Reply::bulk("summary"),
            Reply::bulk("a \"quoted\"\r\nline"),
            Reply::bulk("flags"),
            Reply::Array(vec![Reply::Status("optional".into())]),
            Reply::bulk("n"),
            Reply::Integer(-1),
        ]);
        let tree = tree(&reply).unwrap();
        assert_eq!(tree.reply(), reply);
        let literal = tree.literal(&["a \"quoted\"\r\nline"]).unwrap();
        let packed = packed::pack(&reply.to_resp(), &["a \"quoted\"\r\nline"]).unwrap();
        assert_eq!(literal, format!("{packed:?}"));
        assert!(!packed.contains("quoted"), "the field is named, not held");
        assert_eq!(
            packed::unpack(&packed, &["a \"quoted\"\r\nline"]),
            reply.to_resp()
        );
    }
}
