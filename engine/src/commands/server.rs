//! Connection and server commands: PING ECHO TIME DBSIZE FLUSHDB FLUSHALL
//! DEBUG (COMMAND lives in `introspect.rs`).

use super::{errors, introspect, Call, Handler};
use crate::engine::{Engine, DATABASES};
use crate::reply::Reply;

pub const HANDLERS: &[(&str, Handler)] = &[
    ("command", introspect::command),
    ("dbsize", dbsize),
    ("debug", debug),
    ("echo", echo),
    ("flushall", flushall),
    ("flushdb", flushdb),
    ("ping", ping),
    ("time", time),
];

/// PING's table arity is "at least 1", so Redis checks the upper bound
/// itself, with the usual arity text.
fn ping(_e: &mut Engine, call: &mut Call) -> Reply {
    match call.argv.len() {
        1 => Reply::Status("PONG".into()),
        2 => Reply::Bulk(call.arg(1).to_vec()),
        _ => errors::wrong_arity("ping"),
    }
}

fn echo(_e: &mut Engine, call: &mut Call) -> Reply {
    Reply::Bulk(call.arg(1).to_vec())
}

/// TIME from the virtual clock: seconds and microseconds, as bulk strings.
fn time(e: &mut Engine, _call: &mut Call) -> Reply {
    let now = e.now();
    let seconds = now / 1000;
    let micros = (now % 1000) * 1000;
    Reply::Array(vec![
        Reply::Bulk(seconds.to_string().into_bytes()),
        Reply::Bulk(micros.to_string().into_bytes()),
    ])
}

/// DBSIZE counts every key in the table, including ones past their expiry
/// that neither a lookup nor the active cycle has reclaimed yet, as
/// Redis's `dictSize` does.
fn dbsize(e: &mut Engine, call: &mut Call) -> Reply {
    Reply::Integer(e.keyspace(call.client).db.len() as i64)
}

/// Redis's `getFlushCommandFlags`: nothing, `SYNC` or `ASYNC`, alone. The
/// engine frees at once either way, which is all a client can observe.
fn flush_args_ok(call: &Call) -> bool {
    match call.args() {
        [] => true,
        [mode] => mode.eq_ignore_ascii_case(b"sync") || mode.eq_ignore_ascii_case(b"async"),
        _ => false,
    }
}

fn flushdb(e: &mut Engine, call: &mut Call) -> Reply {
    if !flush_args_ok(call) {
        return errors::syntax();
    }
    e.keyspace(call.client).flush();
    Reply::ok()
}

fn flushall(e: &mut Engine, call: &mut Call) -> Reply {
    if !flush_args_ok(call) {
        return errors::syntax();
    }
    for index in 0..DATABASES {
        e.keyspace_of(index).flush();
    }
    Reply::ok()
}

/// DEBUG SLEEP advances the virtual clock once the reply is out (the
/// engine never blocks). Other DEBUG subcommands look into Redis's
/// internals, which the engine does not have, so they get the answer Redis
/// gives to a subcommand it does not know.
fn debug(e: &mut Engine, call: &mut Call) -> Reply {
    if call.argv.len() == 3 && call.arg(1).eq_ignore_ascii_case(b"sleep") {
        e.sleep_after = sleep_ms(call.arg(2));
        return Reply::ok();
    }
    errors::subcommand_syntax("debug", call.arg(1))
}

/// How long `DEBUG SLEEP <seconds>` really sleeps, in whole ms. Redis does
/// `long long utime = strtod(arg) * 1000000` and hands it to nanosleep: a
/// negative time fails (no sleep), and on x86 a NaN or a product beyond
/// 64 bits converts to the minimum integer, so it does not sleep either.
fn sleep_ms(arg: &[u8]) -> u64 {
    let micros = strtod(arg) * 1_000_000.0;
    // 2^63 as f64: the first value a 64-bit integer cannot hold.
    const LIMIT: f64 = 9_223_372_036_854_775_808.0;
    if !(0.0..LIMIT).contains(&micros) {
        return 0;
    }
    (micros as u64) / 1000
}

/// C's `strtod`: the longest prefix that reads as a number (leading white
/// space, a sign, decimal or hex digits with an exponent, `inf`, `nan`),
/// and 0 when there is none. The text ends at a NUL byte, as a C string.
pub(crate) fn strtod(arg: &[u8]) -> f64 {
    let end = arg.iter().position(|&b| b == 0).unwrap_or(arg.len());
    let s = &arg[..end];
    let mut i = s
        .iter()
        .take_while(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r'))
        .count();
    let negative = match s.get(i) {
        Some(b'-') => {
            i += 1;
            true
        }
        Some(b'+') => {
            i += 1;
            false
        }
        _ => false,
    };
    let rest = &s[i..];
    let lower: Vec<u8> = rest.iter().take(8).map(u8::to_ascii_lowercase).collect();
    let magnitude = if lower.starts_with(b"inf") {
        f64::INFINITY
    } else if lower.starts_with(b"nan") {
        f64::NAN
    } else if lower.starts_with(b"0x") && hex_follows(&rest[2..]) {
        hex_float(&rest[2..])
    } else {
        decimal_prefix(rest)
    };
    if negative {
        -magnitude
    } else {
        magnitude
    }
}

/// Whether the text after `0x` starts a hex number (a digit, or a point
/// and a digit); if not, strtod reads just the `0`.
fn hex_follows(s: &[u8]) -> bool {
    match s {
        [d, ..] if d.is_ascii_hexdigit() => true,
        [b'.', d, ..] => d.is_ascii_hexdigit(),
        _ => false,
    }
}

/// Decimal digits, an optional fraction and an optional exponent (only if
/// digits follow its `e`); 0 if no digit is found.
fn decimal_prefix(s: &[u8]) -> f64 {
    let digits = |from: usize| s[from..].iter().take_while(|b| b.is_ascii_digit()).count();
    let int = digits(0);
    let mut end = int;
    let mut frac = 0;
    if s.get(end) == Some(&b'.') {
        frac = digits(end + 1);
        end += 1 + frac;
    }
    if int + frac == 0 {
        return 0.0;
    }
    if matches!(s.get(end), Some(b'e' | b'E')) {
        let sign = usize::from(matches!(s.get(end + 1), Some(b'+' | b'-')));
        let exp = digits(end + 1 + sign);
        if exp > 0 {
            end += 1 + sign + exp;
        }
    }
    std::str::from_utf8(&s[..end])
        .ok()
        .and_then(|t| t.parse().ok())
        .unwrap_or(0.0)
}

/// Hex digits with an optional fraction and a binary `p` exponent.
fn hex_float(s: &[u8]) -> f64 {
    let mut value = 0.0f64;
    let mut scale = 0i32;
    let mut i = 0;
    let mut seen_point = false;
    while let Some(&b) = s.get(i) {
        if let Some(d) = (b as char).to_digit(16) {
            value = value * 16.0 + f64::from(d);
            if seen_point {
                scale -= 4;
            }
        } else if b == b'.' && !seen_point {
            seen_point = true;
        } else {
            break;
        }
        i += 1;
    }
    if matches!(s.get(i), Some(b'p' | b'P')) {
        let sign = matches!(s.get(i + 1), Some(b'+' | b'-'));
        let start = i + 1 + usize::from(sign);
        let exp_digits: Vec<u8> = s[start.min(s.len())..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .copied()
            .collect();
        if !exp_digits.is_empty() {
            let exp: i32 = std::str::from_utf8(&exp_digits)
                .ok()
                .and_then(|t| t.parse().ok())
                .unwrap_or(i32::MAX);
            let exp = if s.get(i + 1) == Some(&b'-') {
                -exp
            } else {
                exp
            };
            scale = scale.saturating_add(exp);
        }
    }
    value * 2f64.powi(scale)
}

#[cfg(test)]
#[path = "server_tests.rs"]
mod tests;
