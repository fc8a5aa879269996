//! Tests of the server and connection commands, and of COMMAND.

use super::sleep_ms;
use crate::engine::{ClientId, Engine};
use crate::event::Event;
use crate::reply::Reply;

const T0: u64 = 1_700_000_000_123;

fn setup() -> (Engine, ClientId) {
    let mut e = Engine::new(T0);
    let c = e.connect();
    (e, c)
}

fn run(e: &mut Engine, c: ClientId, line: &str) -> Reply {
    e.execute_line(c, line).remove(0)
}

fn err(text: &str) -> Reply {
    Reply::error(text)
}

fn array(reply: Reply) -> Vec<Reply> {
    match reply {
        Reply::Array(items) => items,
        other => panic!("not an array: {other:?}"),
    }
}

#[test]
fn ping_and_echo() {
    let (mut e, c) = setup();
    assert_eq!(run(&mut e, c, "PING"), Reply::Status("PONG".into()));
    assert_eq!(run(&mut e, c, "ping \"a b\""), Reply::bulk("a b"));
    assert_eq!(
        run(&mut e, c, "PING a b"),
        err("ERR wrong number of arguments for 'ping' command")
    );
    assert_eq!(
        run(&mut e, c, "ECHO \"\\x00\""),
        Reply::bulk(b"\x00".to_vec())
    );
    assert_eq!(
        run(&mut e, c, "ECHO a b"),
        err("ERR wrong number of arguments for 'echo' command")
    );
}

#[test]
fn time_reads_the_virtual_clock() {
    let (mut e, c) = setup();
    let want = |s: &str, us: &str| Reply::Array(vec![Reply::bulk(s), Reply::bulk(us)]);
    assert_eq!(run(&mut e, c, "TIME"), want("1700000000", "123000"));
    e.advance(1_877);
    assert_eq!(run(&mut e, c, "TIME"), want("1700000002", "0"));
    assert_eq!(
        run(&mut e, c, "TIME x"),
        err("ERR wrong number of arguments for 'time' command")
    );
}

#[test]
fn dbsize_counts_unreclaimed_keys_until_the_cron_runs() {
    let (mut e, c) = setup();
    run(&mut e, c, "SET a 1");
    run(&mut e, c, "SET b 2");
    run(&mut e, c, "PEXPIRE b 50");
    assert_eq!(run(&mut e, c, "DBSIZE"), Reply::Integer(2));
    e.now += 50;
    assert_eq!(run(&mut e, c, "DBSIZE"), Reply::Integer(2));
    e.advance(100);
    assert_eq!(run(&mut e, c, "DBSIZE"), Reply::Integer(1));
}

fn use_db(e: &mut Engine, c: ClientId, db: usize) {
    e.clients.get_mut(&c).expect("client").db = db;
}

#[test]
fn flushdb_empties_only_the_current_database() {
    let (mut e, c) = setup();
    run(&mut e, c, "SET a 1");
    use_db(&mut e, c, 3);
    run(&mut e, c, "SET b 1");
    e.take_events();
    assert_eq!(run(&mut e, c, "FLUSHDB"), Reply::ok());
    assert_eq!(e.take_events(), vec![Event::Flushed { db: 3 }]);
    assert_eq!(e.db_len(3), 0);
    assert_eq!(e.db_len(0), 1);
    assert_eq!(run(&mut e, c, "FLUSHDB async"), Reply::ok());
    assert!(
        e.take_events().is_empty(),
        "an empty database records nothing"
    );
}

#[test]
fn flushall_empties_every_database() {
    let (mut e, c) = setup();
    run(&mut e, c, "SET a 1");
    use_db(&mut e, c, 15);
    run(&mut e, c, "SET b 1");
    e.take_events();
    assert_eq!(run(&mut e, c, "FLUSHALL SYNC"), Reply::ok());
    assert_eq!(
        e.take_events(),
        vec![Event::Flushed { db: 0 }, Event::Flushed { db: 15 }]
    );
    assert_eq!(e.db_len(0) + e.db_len(15), 0);
}

#[test]
fn flush_options() {
    let (mut e, c) = setup();
    for line in [
        "FLUSHDB lazy",
        "FLUSHDB async sync",
        "FLUSHALL x y",
        "FLUSHALL foo",
    ] {
        assert_eq!(run(&mut e, c, line), err("ERR syntax error"), "{line}");
    }
    for line in [
        "FLUSHDB ASYNC",
        "flushdb Sync",
        "FLUSHALL async",
        "FLUSHALL",
    ] {
        assert_eq!(run(&mut e, c, line), Reply::ok(), "{line}");
    }
}

#[test]
fn debug_sleep_advances_the_clock_after_replying() {
    let (mut e, c) = setup();
    assert_eq!(run(&mut e, c, "DEBUG SLEEP 1.5"), Reply::ok());
    assert_eq!(e.now(), T0 + 1_500);
    assert_eq!(run(&mut e, c, "DEBUG sleep x"), Reply::ok());
    assert_eq!(run(&mut e, c, "debug SLEEP -1"), Reply::ok());
    assert_eq!(e.now(), T0 + 1_500);
}

#[test]
fn debug_other_subcommands_are_unknown() {
    let (mut e, c) = setup();
    let want = |s: &str| {
        err(&format!(
            "ERR unknown subcommand or wrong number of arguments for '{s}'. Try DEBUG HELP."
        ))
    };
    assert_eq!(run(&mut e, c, "DEBUG foo"), want("foo"));
    assert_eq!(run(&mut e, c, "DEBUG sleep"), want("sleep"));
    assert_eq!(run(&mut e, c, "DEBUG SLEEP 1 2"), want("SLEEP"));
    assert_eq!(
        run(&mut e, c, "DEBUG"),
        err("ERR wrong number of arguments for 'debug' command")
    );
}

#[test]
fn sleep_times_follow_the_c_conversion() {
    assert_eq!(sleep_ms(b"0.25"), 250);
    assert_eq!(sleep_ms(b"0.0009"), 0);
    assert_eq!(sleep_ms(b"-3"), 0);
    assert_eq!(sleep_ms(b"inf"), 0, "beyond 64 bits: no sleep");
    assert_eq!(sleep_ms(b"nan"), 0);
    assert_eq!(sleep_ms(b"1e13"), 0);
    assert_eq!(sleep_ms(b"1e12"), 1_000_000_000_000_000);
}

#[test]
fn command_count_and_arity_of_subcommands() {
    let (mut e, c) = setup();
    let count = crate::commands::implemented().count() as i64;
    assert_eq!(run(&mut e, c, "COMMAND COUNT"), Reply::Integer(count));
    assert_eq!(
        run(&mut e, c, "command count x"),
        err("ERR wrong number of arguments for 'command|count' command")
    );
    assert_eq!(
        run(&mut e, c, "COMMAND HELP x"),
        err("ERR wrong number of arguments for 'command|help' command")
    );
    assert_eq!(
        run(&mut e, c, "COMMAND getkeys get"),
        err("ERR wrong number of arguments for 'command|getkeys' command")
    );
    assert_eq!(
        run(&mut e, c, "COMMAND foo"),
        err("ERR unknown subcommand 'foo'. Try COMMAND HELP.")
    );
}

#[test]
fn command_info_entries_and_nils() {
    let (mut e, c) = setup();
    let items = array(run(&mut e, c, "COMMAND INFO get nosuch GET"));
    assert_eq!(items.len(), 3);
    assert_eq!(items[1], Reply::Nil);
    assert_eq!(items[0], items[2]);
    let entry = array(items[0].clone());
    assert_eq!(entry.len(), 10);
    assert_eq!(entry[0], Reply::bulk("get"));
    assert_eq!(entry[1], Reply::Integer(2));
    let all = array(run(&mut e, c, "COMMAND"));
    assert_eq!(all.len(), crate::commands::implemented().count());
    assert_eq!(array(run(&mut e, c, "COMMAND INFO")), all);
}

#[test]
fn command_docs_pairs_names_with_trees() {
    let (mut e, c) = setup();
    let items = array(run(&mut e, c, "COMMAND DOCS ttl nosuch TTL \"\" ttl|x"));
    assert_eq!(items.len(), 4);
    assert_eq!(items[0], Reply::bulk("ttl"));
    assert_eq!(items[2], Reply::bulk("ttl"));
    let all = array(run(&mut e, c, "COMMAND DOCS"));
    assert_eq!(all.len(), 2 * crate::commands::implemented().count());
}

#[test]
fn command_list_and_help() {
    let (mut e, c) = setup();
    let names = array(run(&mut e, c, "COMMAND LIST FILTERBY PATTERN P*"));
    assert!(names.contains(&Reply::bulk("ping")));
    assert!(names.contains(&Reply::bulk("pttl")));
    assert!(!names.contains(&Reply::bulk("get")));
    assert_eq!(
        run(&mut e, c, "COMMAND LIST FILTERBY module x"),
        Reply::Array(vec![])
    );
    assert_eq!(
        run(&mut e, c, "COMMAND LIST FILTERBY aclcat nosuch"),
        Reply::Array(vec![])
    );
    for line in [
        "COMMAND LIST foo",
        "COMMAND LIST FILTERBY aclcat",
        "COMMAND LIST FILTERBY x y",
    ] {
        assert_eq!(run(&mut e, c, line), err("ERR syntax error"), "{line}");
    }
    let help = array(run(&mut e, c, "COMMAND HELP"));
    assert_eq!(help.len(), 21);
    assert!(matches!(&help[0], Reply::Status(s) if s.starts_with("COMMAND <subcommand>")));
}

#[test]
fn command_info_has_all_ten_fields_from_the_table() {
    let (mut e, c) = setup();
    let entry = array(array(run(&mut e, c, "COMMAND INFO rename")).remove(0));
    assert_eq!(entry.len(), 10);
    assert_eq!(entry[2], Reply::Array(vec![Reply::Status("write".into())]));
    assert_eq!(
        entry[6],
        Reply::Array(vec![
            Reply::Status("@keyspace".into()),
            Reply::Status("@write".into()),
            Reply::Status("@slow".into())
        ])
    );
    let specs = array(entry[8].clone());
    assert_eq!(specs.len(), 2, "source and destination");
    let command = array(array(run(&mut e, c, "COMMAND INFO command")).remove(0));
    let subs = array(command[9].clone());
    assert_eq!(subs.len(), 7);
    let sub = array(array(run(&mut e, c, "COMMAND INFO COMMAND|COUNT")).remove(0));
    assert_eq!(sub[0], Reply::bulk("command|count"));
}

#[test]
fn command_list_filters_by_acl_category() {
    let (mut e, c) = setup();
    let names = array(run(&mut e, c, "COMMAND LIST FILTERBY ACLCAT Keyspace"));
    assert!(names.contains(&Reply::bulk("rename")));
    assert!(!names.contains(&Reply::bulk("ping")));
    let all = array(run(&mut e, c, "COMMAND LIST"));
    assert!(all.contains(&Reply::bulk("command|docs")));
}

#[test]
fn command_getkeys_from_key_specs() {
    let (mut e, c) = setup();
    let bulks = |v: &[&str]| Reply::Array(v.iter().map(|s| Reply::bulk(*s)).collect());
    assert_eq!(
        run(&mut e, c, "COMMAND GETKEYS rename a b"),
        bulks(&["a", "b"])
    );
    assert_eq!(
        run(&mut e, c, "COMMAND GETKEYS del a b c"),
        bulks(&["a", "b", "c"])
    );
    assert_eq!(
        run(&mut e, c, "COMMAND GETKEYSANDFLAGS ttl k"),
        Reply::Array(vec![Reply::Array(vec![
            Reply::bulk("k"),
            Reply::Array(vec![
                Reply::Status("RO".into()),
                Reply::Status("access".into())
            ])
        ])])
    );
    let mut set_flags = |line: &str, flags: &[&str]| {
        let flags = flags.iter().map(|f| Reply::Status(f.to_string())).collect();
        let want = Reply::Array(vec![Reply::Array(vec![
            Reply::bulk("k"),
            Reply::Array(flags),
        ])]);
        assert_eq!(run(&mut e, c, line), want, "{line}");
    };
    set_flags("COMMAND GETKEYSANDFLAGS set k v", &["OW", "update"]);
    set_flags(
        "COMMAND GETKEYSANDFLAGS set k v EX 1 Get",
        &["RW", "access", "update"],
    );
    assert_eq!(
        run(&mut e, c, "COMMAND GETKEYS nosuch k"),
        err("ERR Invalid command specified")
    );
    assert_eq!(
        run(&mut e, c, "COMMAND GETKEYS ping x"),
        err("ERR The command has no key arguments")
    );
    assert_eq!(
        run(&mut e, c, "COMMAND GETKEYS ttl a b"),
        err("ERR Invalid number of arguments specified for command")
    );
}
