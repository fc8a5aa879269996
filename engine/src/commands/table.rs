//! The command table, as data: one row per command, sorted by name.
//! Placeholder rows until the generator (tests/src/bin/gen_table.rs)
//! writes this file from redis-server 7.0's COMMAND INFO and COMMAND DOCS.

/// A tree of strings, integers and lists: how Redis's COMMAND DOCS reply
/// is stored, so the engine answers it exactly as Redis does.
#[derive(Debug)]
pub enum Doc {
    S(&'static str),
    I(i64),
    L(&'static [Doc]),
}

#[derive(Debug)]
pub struct Spec {
    /// Lowercase, as Redis's table spells it.
    pub name: &'static str,
    /// Negative: at least that many arguments, the name included.
    pub arity: i32,
    pub flags: &'static [&'static str],
    pub first_key: i32,
    pub last_key: i32,
    pub step: i32,
    pub group: &'static str,
    pub since: &'static str,
    pub summary: &'static str,
    pub complexity: &'static str,
    /// The syntax line, e.g. `SET key value [NX | XX] ...`.
    pub syntax: &'static str,
    /// This command's entry in COMMAND DOCS, after its name.
    pub docs: Doc,
}

macro_rules! row {
    ($name:expr, $arity:expr, $group:expr, $syntax:expr) => {
        Spec {
            name: $name,
            arity: $arity,
            flags: &[],
            first_key: 1,
            last_key: 1,
            step: 1,
            group: $group,
            since: "1.0.0",
            summary: "",
            complexity: "",
            syntax: $syntax,
            docs: Doc::L(&[]),
        }
    };
}

pub static SPECS: &[Spec] = &[
    row!("command", -1, "server", "COMMAND"),
    row!("debug", -2, "server", "DEBUG"),
    row!("del", -2, "generic", "DEL key [key ...]"),
    row!("get", 2, "string", "GET key"),
    row!("ping", -1, "connection", "PING [message]"),
    row!("set", -3, "string", "SET key value"),
    row!("ttl", 2, "generic", "TTL key"),
];
