//! Read-only views of the command table for an editor: a line's command
//! row, the option words its docs list, where its keys are, and the error
//! Redis would refuse it with before running it. Everything comes from the
//! same table and lookup dispatch uses, so an editor's hints say what
//! running the line answers.

use super::{getkeys, map_get, spec_docs, Spec};
use crate::commands::{check, implemented};
use crate::reply::Reply;

/// Every command the engine runs, sorted by name (subcommands are in
/// each row's `subcommands`).
pub fn commands() -> impl Iterator<Item = &'static Spec> {
    implemented()
}

/// The row a command line runs (a container's subcommand when its second
/// word names one), if the engine runs it.
pub fn row(argv: &[Vec<u8>]) -> Option<&'static Spec> {
    getkeys::lookup_line(argv).or_else(|| getkeys::lookup_line(argv.get(..1)?))
}

/// The words a command takes as options, in the order its docs list them
/// (SET: `NX`, `XX`, `GET`, `EX`, `PX`, `EXAT`, `PXAT`, `KEEPTTL`), each
/// once; for a container (CONFIG, CLIENT ...) its subcommands' names.
pub fn tokens(spec: &Spec) -> Vec<String> {
    fn walk(args: &Reply, out: &mut Vec<String>) {
        let Reply::Array(args) = args else { return };
        for arg in args {
            let token = match map_get(arg, "token") {
                Some(Reply::Bulk(b)) => Some(String::from_utf8_lossy(b).into_owned()),
                Some(Reply::Status(s)) => Some(s.clone()),
                _ => None,
            };
            if let Some(token) = token.filter(|t| !out.contains(t)) {
                out.push(token);
            }
            if let Some(nested) = map_get(arg, "arguments") {
                walk(nested, out);
            }
        }
    }
    let mut out: Vec<String> = spec
        .subcommands
        .iter()
        .filter_map(|s| s.name.split_once('|'))
        .map(|(_, sub)| sub.to_ascii_uppercase())
        .collect();
    if let Some(args) = map_get(&spec_docs(spec), "arguments") {
        walk(args, &mut out);
    }
    out
}

/// The positions of a line's keys (0 is the command name), read from the
/// key specs as COMMAND GETKEYS reads them, but leniently: a line still
/// being typed has its keys found where the specs can tell.
pub fn key_positions(argv: &[Vec<u8>]) -> Vec<usize> {
    if argv.is_empty() {
        return Vec::new();
    }
    getkeys::positions(argv)
}

/// The error Redis refuses `argv` with before running it (unknown
/// command, unknown subcommand, wrong number of arguments), if any: the
/// text dispatch answers, without the `(error) ` redis-cli adds.
pub fn refusal(argv: &[Vec<u8>]) -> Option<String> {
    if argv.is_empty() {
        return None;
    }
    match check(argv).1 {
        Err(Reply::Error(text)) => Some(text),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Engine;
    use crate::split::split_args;

    fn argv(line: &str) -> Vec<Vec<u8>> {
        split_args(line).unwrap()
    }

    #[test]
    fn set_tokens_in_docs_order() {
        let set = row(&argv("SET a b")).unwrap();
        assert_eq!(set.name, "set");
        assert_eq!(
            tokens(set),
            ["NX", "XX", "GET", "EX", "PX", "EXAT", "PXAT", "KEEPTTL"]
        );
        assert!(set.syntax.starts_with("SET key value [NX | XX] [GET]"));
        assert_eq!(set.summary, "Set the string value of a key");
        assert_eq!(set.complexity, "O(1)");
    }

    #[test]
    fn containers_offer_their_subcommands() {
        let config = row(&argv("config")).unwrap();
        let t = tokens(config);
        assert!(t.contains(&"GET".to_string()) && t.contains(&"SET".to_string()));
        let get = row(&argv("CONFIG GET maxmemory")).unwrap();
        assert_eq!(get.name, "config|get");
        // An unknown second word still finds the container.
        assert_eq!(row(&argv("CONFIG nope")).unwrap().name, "config");
        assert!(row(&argv("NOSUCH x")).is_none());
    }

    #[test]
    fn keys_are_found_on_partial_lines() {
        assert_eq!(key_positions(&argv("SET k")), [1]);
        assert_eq!(key_positions(&argv("GET k")), [1]);
        assert_eq!(key_positions(&argv("MSET a 1 b 2")), [1, 3]);
        assert_eq!(key_positions(&argv("DEL a b c")), [1, 2, 3]);
        assert_eq!(key_positions(&argv("LMOVE src dst LEFT RIGHT")), [1, 2]);
        assert!(key_positions(&argv("PING")).is_empty());
        assert!(key_positions(&argv("NOSUCH a")).is_empty());
        assert!(key_positions(&[]).is_empty());
    }

    /// The refusal is exactly what executing the line answers.
    #[test]
    fn refusals_are_what_running_answers() {
        for line in [
            "FOO bar baz",
            "foo",
            "GET",
            "get a b",
            "SET k",
            "CONFIG NOPE",
            "command count x",
        ] {
            let mut engine = Engine::new(0);
            let client = engine.connect();
            let ran = engine.execute(client, argv(line));
            let Some(Reply::Error(text)) = ran.first() else {
                panic!("{line}: {ran:?}")
            };
            assert_eq!(refusal(&argv(line)).as_ref(), Some(text), "{line}");
        }
        assert_eq!(
            refusal(&argv("FOO a")).unwrap(),
            "ERR unknown command 'FOO', with args beginning with: 'a' "
        );
        assert_eq!(
            refusal(&argv("GET")).unwrap(),
            "ERR wrong number of arguments for 'get' command"
        );
        assert_eq!(refusal(&argv("SET k v")), None);
        assert_eq!(refusal(&argv("ping")), None);
        assert_eq!(refusal(&[]), None);
    }
}
