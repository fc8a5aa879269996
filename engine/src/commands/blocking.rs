//! The blocking pops (Redis's `blockingPopGenericCommand`,
//! `blmoveGenericCommand`, `blockingGenericZpopCommand`): BLPOP BRPOP
//! BLMPOP BLMOVE BRPOPLPUSH BZPOPMIN BZPOPMAX BZMPOP. With something to
//! pop they answer as their non-blocking forms; otherwise the client
//! blocks (`Engine::block`, in `crate::blocking`, which serves and times
//! it out later) and gets no reply now.
//!
//! Order of checks, as Redis: the options (LEFT|RIGHT, numkeys, COUNT),
//! then the timeout, then the keys in order: a missing key is skipped, a
//! key of another type is WRONGTYPE (even if a later key could be popped).

use super::num::LongDouble;
use super::{arg_is as is, errors, num, Call, Handler};
use crate::blocking::Op;
use crate::engine::Engine;
use crate::reply::Reply;
use crate::types::list::End;
use crate::value::Value;

pub const HANDLERS: &[(&str, Handler)] = &[
    ("blmove", blmove),
    ("blmpop", blmpop),
    ("blpop", blpop),
    ("brpop", brpop),
    ("brpoplpush", brpoplpush),
    ("bzmpop", bzmpop),
    ("bzpopmax", bzpopmax),
    ("bzpopmin", bzpopmin),
];

fn answer(result: Result<Reply, Reply>) -> Reply {
    result.unwrap_or_else(|err| err)
}

/// Redis 7.0's `getTimeoutFromObjectOrReply` in seconds: the argument as
/// a `long double` (`string2ld`), times 1000 in x87 arithmetic, rounded
/// up (`ceill`) and converted to `long long` (out of range, infinities
/// included, become `LLONG_MIN`, so "negative"). 0 is no timeout;
/// otherwise the deadline is `now` plus that, wrapping as 7.0's unchecked
/// addition does (a wrapped deadline, read unsigned, is never reached).
pub(crate) fn deadline(arg: &[u8], now: u64) -> Result<Option<u64>, Reply> {
    let value = LongDouble::parse(arg)
        .ok_or_else(|| Reply::error("ERR timeout is not a float or out of range"))?;
    let ms = ceil_ms(value);
    if ms < 0 {
        return Err(Reply::error("ERR timeout is negative"));
    }
    if ms == 0 {
        return Ok(None);
    }
    Ok(Some((now as i64).wrapping_add(ms) as u64))
}

/// `(long long) ceill(v * 1000.0L)` on x86-64.
fn ceil_ms(v: LongDouble) -> i64 {
    let (neg, mant, exp) = match v {
        LongDouble::Finite { neg, mant, exp } => (neg, mant, i64::from(exp)),
        _ => return i64::MIN, // +-inf (NaN is refused by the parser)
    };
    if mant == 0 {
        return 0;
    }
    // The exact product, rounded to a 64-bit significand (ties to even).
    let mut p = u128::from(mant) * 1000;
    let mut e = exp;
    let bits = 128 - p.leading_zeros() as i64;
    if bits > 64 {
        let shift = (bits - 64) as u32;
        let rest = p & ((1u128 << shift) - 1);
        let half = 1u128 << (shift - 1);
        p >>= shift;
        e += i64::from(shift);
        if rest > half || (rest == half && p & 1 == 1) {
            p += 1;
            if p >> 64 != 0 {
                p >>= 1;
                e += 1;
            }
        }
    }
    // Rounded toward +infinity to an integer, then to long long.
    let magnitude: Option<u128> = if e >= 0 {
        if e >= 64 {
            None
        } else {
            Some(p << e)
        }
    } else if e <= -128 {
        Some(u128::from(!neg)) // |v| < 1: ceil is 1 or -0
    } else {
        let whole = p >> (-e);
        let frac = p & ((1u128 << (-e)) - 1) != 0;
        Some(if frac && !neg { whole + 1 } else { whole })
    };
    match magnitude {
        Some(m) if m <= i64::MAX as u128 => {
            if neg {
                -(m as i64)
            } else {
                m as i64
            }
        }
        _ => i64::MIN,
    }
}

/// LEFT or RIGHT, else a syntax error.
fn end_arg(arg: &[u8]) -> Result<End, Reply> {
    if is(arg, "right") {
        Ok(End::Right)
    } else if is(arg, "left") {
        Ok(End::Left)
    } else {
        Err(errors::syntax())
    }
}

/// `numkeys` (from 1), and the index of the word after the keys.
fn numkeys(call: &Call, at: usize) -> Result<usize, Reply> {
    let n = num::parse_i64(call.arg(at))
        .filter(|&n| n >= 1)
        .ok_or_else(|| Reply::error("ERR numkeys should be greater than 0"))?;
    usize::try_from(n)
        .ok()
        .and_then(|n| n.checked_add(at + 1))
        .filter(|&i| i < call.argv.len())
        .ok_or_else(errors::syntax)
}

/// `[COUNT count]` after the word at `at` (once; from 1), default 1.
fn count_option(call: &Call, at: usize) -> Result<usize, Reply> {
    let argc = call.argv.len();
    let mut count = None;
    let mut j = at + 1;
    while j < argc {
        if count.is_none() && is(call.arg(j), "count") && j + 1 < argc {
            j += 1;
            let n = num::parse_i64(call.arg(j))
                .filter(|&n| n >= 1)
                .ok_or_else(|| Reply::error("ERR count should be greater than 0"))?;
            count = Some(usize::try_from(n).unwrap_or(usize::MAX));
        } else {
            return Err(errors::syntax());
        }
        j += 1;
    }
    Ok(count.unwrap_or(1))
}

fn blpop(e: &mut Engine, call: &mut Call) -> Reply {
    let keys = call.argv[1..call.argv.len() - 1].to_vec();
    answer(pop_or_block(
        e,
        call,
        keys,
        Op::Pop { end: End::Left },
        "blpop",
    ))
}

fn brpop(e: &mut Engine, call: &mut Call) -> Reply {
    let keys = call.argv[1..call.argv.len() - 1].to_vec();
    answer(pop_or_block(
        e,
        call,
        keys,
        Op::Pop { end: End::Right },
        "brpop",
    ))
}

/// BLMPOP timeout numkeys key [key ...] LEFT|RIGHT [COUNT count].
fn blmpop(e: &mut Engine, call: &mut Call) -> Reply {
    answer((|| {
        let where_at = numkeys(call, 2)?;
        let end = end_arg(call.arg(where_at))?;
        let count = count_option(call, where_at)?;
        let keys = call.argv[3..where_at].to_vec();
        pop_or_block(e, call, keys, Op::PopMany { end, count }, "blmpop")
    })())
}

/// BLPOP, BRPOP, BLMPOP, BZPOPMIN, BZPOPMAX and BZMPOP: the timeout (at 1
/// for the M forms, last otherwise), then the first of `keys` that holds
/// the type popped (another type is WRONGTYPE), or the client blocks.
fn pop_or_block(
    e: &mut Engine,
    call: &mut Call,
    keys: Vec<Vec<u8>>,
    op: Op,
    command: &'static str,
) -> Result<Reply, Reply> {
    let at = if matches!(command, "blmpop" | "bzmpop") {
        1
    } else {
        call.argv.len() - 1
    };
    let deadline = deadline(call.arg(at), e.now)?;
    let mut ks = e.keyspace(call.client);
    for key in &keys {
        let holds = if op.wants_list() {
            ks.get_as(key, Value::as_list)?.is_some()
        } else {
            ks.get_as(key, Value::as_zset)?.is_some()
        };
        if holds {
            return Ok(crate::blocking::pop_for(&mut ks, key, &op));
        }
    }
    if e.blocking.deny {
        return Ok(Reply::NilArray);
    }
    e.block(call.client, &keys, op, command, deadline);
    Ok(Reply::NilArray)
}

/// BLMOVE source destination LEFT|RIGHT LEFT|RIGHT timeout.
fn blmove(e: &mut Engine, call: &mut Call) -> Reply {
    answer((|| {
        let from = end_arg(call.arg(3))?;
        let to = end_arg(call.arg(4))?;
        let deadline = deadline(call.arg(5), e.now)?;
        move_or_block(e, call, from, to, deadline, "blmove")
    })())
}

/// BRPOPLPUSH source destination timeout: BLMOVE RIGHT LEFT.
fn brpoplpush(e: &mut Engine, call: &mut Call) -> Reply {
    answer(
        deadline(call.arg(3), e.now).and_then(|deadline| {
            move_or_block(e, call, End::Right, End::Left, deadline, "brpoplpush")
        }),
    )
}

/// Only the source is checked before blocking: the destination's type is
/// checked when there is something to move.
fn move_or_block(
    e: &mut Engine,
    call: &mut Call,
    from: End,
    to: End,
    deadline: Option<u64>,
    command: &'static str,
) -> Result<Reply, Reply> {
    let (src, dst) = (call.arg(1).to_vec(), call.arg(2).to_vec());
    let mut ks = e.keyspace(call.client);
    if ks.get_as(&src, Value::as_list)?.is_some() {
        return super::lists::move_element(&mut ks, &src, &dst, from, to, None);
    }
    if e.blocking.deny {
        return Ok(Reply::Nil);
    }
    e.block(
        call.client,
        &[src],
        Op::Move { dst, from, to },
        command,
        deadline,
    );
    Ok(Reply::Nil)
}

fn bzpopmin(e: &mut Engine, call: &mut Call) -> Reply {
    let keys = call.argv[1..call.argv.len() - 1].to_vec();
    answer(pop_or_block(
        e,
        call,
        keys,
        Op::ZPop { max: false },
        "bzpopmin",
    ))
}

fn bzpopmax(e: &mut Engine, call: &mut Call) -> Reply {
    let keys = call.argv[1..call.argv.len() - 1].to_vec();
    answer(pop_or_block(
        e,
        call,
        keys,
        Op::ZPop { max: true },
        "bzpopmax",
    ))
}

/// BZMPOP timeout numkeys key [key ...] MIN|MAX [COUNT count].
fn bzmpop(e: &mut Engine, call: &mut Call) -> Reply {
    answer((|| {
        let where_at = numkeys(call, 2)?;
        let max = if is(call.arg(where_at), "min") {
            false
        } else if is(call.arg(where_at), "max") {
            true
        } else {
            return Err(errors::syntax());
        };
        let count = count_option(call, where_at)?;
        let keys = call.argv[3..where_at].to_vec();
        pop_or_block(e, call, keys, Op::ZPopMany { max, count }, "bzmpop")
    })())
}

#[cfg(test)]
#[path = "blocking_tests.rs"]
mod tests;
