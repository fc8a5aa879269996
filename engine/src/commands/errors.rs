//! Redis's error texts, in one place (as Redis's `shared.*err` objects).

use crate::reply::Reply;

pub fn wrongtype() -> Reply {
    Reply::error("WRONGTYPE Operation against a key holding the wrong kind of value")
}

pub fn syntax() -> Reply {
    Reply::error("ERR syntax error")
}

pub fn not_integer() -> Reply {
    Reply::error("ERR value is not an integer or out of range")
}

pub fn not_float() -> Reply {
    Reply::error("ERR value is not a valid float")
}

pub fn overflow() -> Reply {
    Reply::error("ERR increment or decrement would overflow")
}

pub fn no_such_key() -> Reply {
    Reply::error("ERR no such key")
}

pub fn invalid_expire(command: &str) -> Reply {
    Reply::error(format!("ERR invalid expire time in '{command}' command"))
}

pub fn decrement_overflow() -> Reply {
    Reply::error("ERR decrement would overflow")
}

pub fn nan_or_infinity() -> Reply {
    Reply::error("ERR increment would produce NaN or Infinity")
}

pub fn offset_out_of_range() -> Reply {
    Reply::error("ERR offset is out of range")
}

pub fn string_too_long() -> Reply {
    Reply::error("ERR string exceeds maximum allowed size (proto-max-bulk-len)")
}

/// Redis's `shared.oomerr`: here, when the host cannot allocate what a
/// command asks for (a 512 MB SETRANGE in a browser tab).
pub fn out_of_memory() -> Reply {
    Reply::error("OOM command not allowed when used memory > 'maxmemory'.")
}

pub fn wrong_arity(command: &str) -> Reply {
    Reply::error(format!(
        "ERR wrong number of arguments for '{command}' command"
    ))
}

/// `ERR unknown command 'x', with args beginning with: 'a' 'b' `, built as
/// Redis 7.0 builds it: the name cut at 128 bytes, arguments quoted until
/// their text reaches 128 bytes, newlines turned to spaces.
pub fn unknown_command(argv: &[Vec<u8>]) -> Reply {
    let name = String::from_utf8_lossy(cut_at_nul(&argv[0], 128));
    let mut args = String::new();
    for arg in &argv[1..] {
        if args.len() >= 128 {
            break;
        }
        let room = 128 - args.len();
        args.push('\'');
        args.push_str(&String::from_utf8_lossy(cut_at_nul(arg, room)));
        args.push_str("' ");
    }
    let text = format!("ERR unknown command '{name}', with args beginning with: {args}");
    Reply::Error(sanitize(&text))
}

/// `ERR unknown subcommand 'x'. Try COMMAND HELP.`
pub fn unknown_subcommand(command: &str, sub: &[u8]) -> Reply {
    let sub = String::from_utf8_lossy(cut_at_nul(sub, 128));
    Reply::Error(sanitize(&format!(
        "ERR unknown subcommand '{sub}'. Try {} HELP.",
        command.to_ascii_uppercase()
    )))
}

/// `ERR unknown subcommand or wrong number of arguments for 'x'. Try DEBUG
/// HELP.` (Redis's `addReplySubcommandSyntaxError`, for commands that check
/// their subcommands themselves).
pub fn subcommand_syntax(command: &str, sub: &[u8]) -> Reply {
    let sub = String::from_utf8_lossy(cut_at_nul(sub, 128));
    Reply::Error(sanitize(&format!(
        "ERR unknown subcommand or wrong number of arguments for '{sub}'. Try {} HELP.",
        command.to_ascii_uppercase()
    )))
}

/// `printf("%.*s")` stops at a NUL byte and at `max` bytes.
fn cut_at_nul(bytes: &[u8], max: usize) -> &[u8] {
    let end = bytes
        .iter()
        .position(|&b| b == 0)
        .unwrap_or(bytes.len())
        .min(max);
    &bytes[..end]
}

/// Redis trims newlines at the end of an error and turns inner ones into
/// spaces, so the reply stays one protocol line.
pub fn sanitize(text: &str) -> String {
    text.trim_end_matches(['\r', '\n'])
        .replace(['\r', '\n'], " ")
}
