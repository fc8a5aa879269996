//! A script as the Node.js code a learner would write with `ioredis`: one
//! connection per client of the script, one call per line, narration as
//! comments. ioredis names a method after each command (`redis.set(...)`,
//! `redis.client('SETNAME', ...)`) and sends its arguments as given, so
//! the calls send Redis exactly the commands of the script.
//!
//! What has no one-to-one call gets the idiomatic form: subscriptions add
//! their `message` handler, a blocking command is not awaited (its promise
//! resolves when it is served), `MULTI` is `multi({ pipeline: false })`
//! (ioredis's plain `multi()` would start a client-side pipeline), and
//! `DEBUG SLEEP n` (the playground's way to let time pass) is a sleep.

use engine::commands::introspect::docs;
use engine::commands::packed;
use engine::script::{parse_line, DEFAULT_CLIENT};

/// The script as ioredis code.
pub fn ioredis(script: &str) -> String {
    let mut clients: Vec<(String, String)> = Vec::new();
    let mut handlers: Vec<(String, &'static str)> = Vec::new();
    let mut uses_sleep = false;
    // Per client: what it is subscribed to (channels, patterns, shard
    // channels), as ioredis tracks it to refuse other commands.
    let mut subscribed: Vec<(String, Subscriptions)> = Vec::new();
    let mut body = String::new();
    for raw in script.lines() {
        let text = raw.trim();
        if text.is_empty() {
            body.push('\n');
            continue;
        }
        let Some((client, command)) = parse_line(raw) else {
            let note = text.trim_start_matches('#').trim_start();
            body.push_str(&format!("// {note}\n"));
            continue;
        };
        let name = client.unwrap_or(DEFAULT_CLIENT);
        let var = match clients.iter().find(|(n, _)| n == name) {
            Some((_, v)) => v.clone(),
            None => {
                let v = identifier(name, &clients);
                clients.push((name.to_string(), v.clone()));
                v
            }
        };
        let argv = match engine::split_args(command) {
            Ok(argv) if !argv.is_empty() => argv,
            Ok(_) => continue,
            Err(_) => {
                body.push_str(&format!("// not sent (unbalanced quotes): {command}\n"));
                continue;
            }
        };
        let upper = String::from_utf8_lossy(&argv[0]).to_ascii_uppercase();
        let args = |from: usize| {
            argv[from..]
                .iter()
                .map(|a| literal(a))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let subs = match subscribed.iter().position(|(v, _)| *v == var) {
            Some(i) => &mut subscribed[i].1,
            None => {
                subscribed.push((var.clone(), Vec::new()));
                &mut subscribed.last_mut().expect("just pushed").1
            }
        };
        if !subs.is_empty() && !VALID_IN_SUBSCRIBER_MODE.contains(&upper.as_str()) {
            let method = String::from_utf8_lossy(&argv[0]).to_ascii_lowercase();
            body.push_str(&format!(
                "// await {var}.{method}({}); // {NOT_SENT_SUBSCRIBED}\n",
                args(1)
            ));
            continue;
        }
        if upper == "DEBUG" && argv.len() == 3 && argv[1].eq_ignore_ascii_case(b"sleep") {
            // As long as Redis sleeps (the engine's reading of the
            // argument: `abc` or a negative time sleeps 0).
            let ms = engine::commands::server::sleep_ms(&argv[2]);
            uses_sleep = true;
            body.push_str(&format!("await sleep({ms}); // time passes\n"));
            continue;
        }
        track_subscriptions(subs, &upper, &argv[1..]);
        if let Some((event, params)) = handler_for(&upper) {
            if !handlers.iter().any(|(v, e)| *v == var && *e == event) {
                handlers.push((var.clone(), event));
                body.push_str(&format!(
                    "{var}.on('{event}', ({params}) => console.log({params}));\n"
                ));
            }
        }
        let call = match upper.as_str() {
            "MULTI" if argv.len() == 1 => format!("{var}.multi({{ pipeline: false }})"),
            _ if docs::row(&argv).is_some() => {
                let method = String::from_utf8_lossy(&argv[0]).to_ascii_lowercase();
                format!("{var}.{method}({})", args(1))
            }
            // Not a command ioredis (or Redis) knows: sent as typed.
            _ => format!("{var}.call({})", args(0)),
        };
        if blocks(&upper, &argv) {
            body.push_str(&format!(
                "{call}.then((reply) => console.log(reply)); // waits until served\n"
            ));
        } else {
            body.push_str(&format!("await {call};\n"));
        }
    }
    let mut out = String::from("import Redis from 'ioredis';\n\n");
    if clients.len() > 1 {
        out.push_str("// One connection per client of the script.\n");
    }
    for (_, var) in &clients {
        out.push_str(&format!("const {var} = new Redis();\n"));
    }
    if uses_sleep {
        out.push_str("const sleep = (ms) => new Promise((done) => setTimeout(done, ms));\n");
    }
    if !clients.is_empty() || uses_sleep {
        out.push('\n');
    }
    out.push_str(body.trim_end_matches('\n'));
    out.push('\n');
    out
}

/// A connection's subscriptions: (kind, name), the kind telling channels
/// (`c`), patterns (`p`) and shard channels (`s`) apart.
type Subscriptions = Vec<(u8, Vec<u8>)>;

/// What the code says of a command ioredis refuses without sending it.
pub const NOT_SENT_SUBSCRIBED: &str =
    "not sent: ioredis refuses it on a connection in subscriber mode";

/// What ioredis lets a subscribed connection send.
const VALID_IN_SUBSCRIBER_MODE: &[&str] = &[
    "SUBSCRIBE",
    "PSUBSCRIBE",
    "SSUBSCRIBE",
    "UNSUBSCRIBE",
    "PUNSUBSCRIBE",
    "SUNSUBSCRIBE",
    "PING",
    "QUIT",
];

/// Follows a client's subscriptions.
fn track_subscriptions(subs: &mut Subscriptions, command: &str, names: &[Vec<u8>]) {
    let (kind, add) = match command {
        "SUBSCRIBE" => (b'c', true),
        "PSUBSCRIBE" => (b'p', true),
        "SSUBSCRIBE" => (b's', true),
        "UNSUBSCRIBE" => (b'c', false),
        "PUNSUBSCRIBE" => (b'p', false),
        "SUNSUBSCRIBE" => (b's', false),
        "RESET" => {
            subs.clear();
            return;
        }
        _ => return,
    };
    if add {
        for n in names {
            if !subs.iter().any(|(k, s)| *k == kind && s == n) {
                subs.push((kind, n.clone()));
            }
        }
    } else if names.is_empty() {
        subs.retain(|(k, _)| *k != kind);
    } else {
        subs.retain(|(k, s)| *k != kind || !names.contains(s));
    }
}

/// The variable of a client: `redis` for the default one, else its name
/// made a JavaScript identifier, distinct from those taken.
fn identifier(name: &str, taken: &[(String, String)]) -> String {
    let mut v: String = if name == DEFAULT_CLIENT {
        "redis".to_string()
    } else {
        name.chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect()
    };
    if v.starts_with(|c: char| c.is_ascii_digit()) || RESERVED.contains(&v.as_str()) {
        v.insert(0, '_');
    }
    let base = v.clone();
    let mut n = 2;
    while taken.iter().any(|(_, t)| *t == v) || v == "sleep" || v == "Redis" {
        v = format!("{base}{n}");
        n += 1;
    }
    v
}

const RESERVED: &[&str] = &[
    "await",
    "break",
    "case",
    "catch",
    "class",
    "const",
    "continue",
    "default",
    "delete",
    "do",
    "else",
    "export",
    "extends",
    "false",
    "finally",
    "for",
    "function",
    "if",
    "import",
    "in",
    "instanceof",
    "let",
    "new",
    "null",
    "return",
    "static",
    "super",
    "switch",
    "this",
    "throw",
    "true",
    "try",
    "typeof",
    "var",
    "void",
    "while",
    "with",
    "yield",
];

/// The event ioredis emits for what a subscribing command delivers, and
/// its handler's parameters.
fn handler_for(command: &str) -> Option<(&'static str, &'static str)> {
    match command {
        "SUBSCRIBE" => Some(("message", "channel, message")),
        "PSUBSCRIBE" => Some(("pmessage", "pattern, channel, message")),
        "SSUBSCRIBE" => Some(("smessage", "channel, message")),
        _ => None,
    }
}

/// Whether the command may wait for another client (BLPOP ..., XREAD
/// BLOCK): its promise resolves when it is served.
fn blocks(command: &str, argv: &[Vec<u8>]) -> bool {
    match command {
        "XREAD" | "XREADGROUP" => argv.iter().any(|a| a.eq_ignore_ascii_case(b"block")),
        _ => docs::row(argv)
            .is_some_and(|spec| packed::names(spec.flags, packed::FLAGS).any(|f| f == "blocking")),
    }
}

/// An argument as JavaScript: a plain integer as a number (ioredis sends
/// numbers as their decimal text, the same bytes), anything else as a
/// string literal, bytes that are not UTF-8 as a Buffer.
fn literal(arg: &[u8]) -> String {
    let Ok(s) = std::str::from_utf8(arg) else {
        let bytes: Vec<String> = arg.iter().map(|b| b.to_string()).collect();
        return format!("Buffer.from([{}])", bytes.join(", "));
    };
    let digits = s.strip_prefix('-').unwrap_or(s);
    let plain_int = !digits.is_empty()
        && digits.len() <= 15
        && digits.bytes().all(|b| b.is_ascii_digit())
        && (digits == "0" || !digits.starts_with('0'))
        && s != "-0";
    if plain_int {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    for c in s.chars() {
        match c {
            '\'' => out.push_str("\\'"),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(script: &str) -> Vec<String> {
        let out = ioredis(script);
        let (_, body) = out.split_once("\n\n").expect("header, then the body");
        let body = body.split_once("\n\n").map_or(body, |(_, b)| b);
        body.lines().map(str::to_string).collect()
    }

    #[test]
    fn a_line_is_a_call_with_its_arguments() {
        assert_eq!(
            ioredis("SET greeting hello EX 60\nGET greeting\n"),
            "import Redis from 'ioredis';\n\nconst redis = new Redis();\n\n\
             await redis.set('greeting', 'hello', 'EX', 60);\nawait redis.get('greeting');\n"
        );
    }

    #[test]
    fn narration_becomes_comments_and_blank_lines_stay() {
        assert_eq!(
            body("# Cache miss first.\nGET page\n\n# Then a hit.\n"),
            [
                "// Cache miss first.",
                "await redis.get('page');",
                "",
                "// Then a hit."
            ]
        );
    }

    #[test]
    fn each_client_is_a_connection() {
        let out =
            ioredis("alice> SUBSCRIBE chat\napp> PUBLISH chat hi\nalice> PSUBSCRIBE user:*\n");
        assert!(
            out.contains("const alice = new Redis();\nconst app = new Redis();\n"),
            "{out}"
        );
        assert!(out.contains(
            "alice.on('message', (channel, message) => console.log(channel, message));\n\
             await alice.subscribe('chat');\nawait app.publish('chat', 'hi');\n\
             alice.on('pmessage', (pattern, channel, message) => console.log(pattern, channel, message));\n\
             await alice.psubscribe('user:*');"
        ), "{out}");
    }

    #[test]
    fn a_blocking_command_is_not_awaited() {
        assert_eq!(
            body("worker> BRPOP jobs 0\nworker> XREAD COUNT 1 STREAMS s 0\nw> XREAD BLOCK 0 STREAMS s $"),
            [
                "worker.brpop('jobs', 0).then((reply) => console.log(reply)); // waits until served",
                "await worker.xread('COUNT', 1, 'STREAMS', 's', 0);",
                "w.xread('BLOCK', 0, 'STREAMS', 's', '$').then((reply) => console.log(reply)); // waits until served",
            ]
        );
    }

    #[test]
    fn multi_sleep_and_unknown_commands() {
        let out = ioredis("MULTI\nINCR n\nEXEC\nDEBUG SLEEP 1.5\nNOPE a\n");
        assert!(out.contains("const sleep = "), "{out}");
        assert_eq!(
            body("MULTI\nINCR n\nEXEC\nDEBUG SLEEP 1.5\nNOPE a\n"),
            [
                "await redis.multi({ pipeline: false });",
                "await redis.incr('n');",
                "await redis.exec();",
                "await sleep(1500); // time passes",
                "await redis.call('NOPE', 'a');",
            ]
        );
    }

    #[test]
    fn sleep_lasts_what_redis_sleeps() {
        assert_eq!(
            body("DEBUG SLEEP 2\nDEBUG SLEEP .25\nDEBUG SLEEP 1e-3\nDEBUG SLEEP -1"),
            [
                "await sleep(2000); // time passes",
                "await sleep(250); // time passes",
                "await sleep(1); // time passes",
                "await sleep(0); // time passes",
            ]
        );
    }

    #[test]
    fn values_are_javascript_literals() {
        assert_eq!(literal(b"42"), "42");
        assert_eq!(literal(b"-7"), "-7");
        assert_eq!(literal(b"007"), "'007'");
        assert_eq!(literal(b"1.5"), "'1.5'");
        assert_eq!(literal(b"12345678901234567"), "'12345678901234567'");
        assert_eq!(literal(b"it's \\ \n"), "'it\\'s \\\\ \\n'");
        assert_eq!(
            literal("<img src=x onerror=alert(1)>".as_bytes()),
            "'<img src=x onerror=alert(1)>'"
        );
        assert_eq!(literal(&[0xff, 0x41]), "Buffer.from([255, 65])");
        assert_eq!(
            body("SET k \"a\\x00b\""),
            ["await redis.set('k', 'a\\x00b');"]
        );
    }

    #[test]
    fn client_names_become_distinct_identifiers() {
        let out = ioredis("worker-1> PING\nworker_1> PING\nclass> PING\n9lives> PING\n");
        assert!(
            out.contains(
                "const worker_1 = new Redis();\nconst worker_12 = new Redis();\n\
             const _class = new Redis();\nconst _9lives = new Redis();\n"
            ),
            "{out}"
        );
    }

    #[test]
    fn a_subscribed_connection_sends_only_what_ioredis_allows() {
        assert_eq!(
            body("SUBSCRIBE a b\nGET k\nPING\nUNSUBSCRIBE a\nGET k\nUNSUBSCRIBE\nGET k"),
            [
                "redis.on('message', (channel, message) => console.log(channel, message));",
                "await redis.subscribe('a', 'b');",
                &format!("// await redis.get('k'); // {NOT_SENT_SUBSCRIBED}"),
                "await redis.ping();",
                "await redis.unsubscribe('a');",
                &format!("// await redis.get('k'); // {NOT_SENT_SUBSCRIBED}"),
                "await redis.unsubscribe();",
                "await redis.get('k');",
            ]
        );
    }

    #[test]
    fn unbalanced_quotes_are_not_sent() {
        assert_eq!(
            body("SET k \"open"),
            ["// not sent (unbalanced quotes): SET k \"open"]
        );
    }

    #[test]
    fn every_scenario_translates() {
        for s in crate::scenarios::all() {
            let out = ioredis(&s.script);
            let calls = out
                .lines()
                .filter(|l| l.contains("await ") || l.contains(".then("))
                .count();
            assert_eq!(calls, engine::script::lines(&s.script).len(), "{}", s.slug);
        }
    }
}
