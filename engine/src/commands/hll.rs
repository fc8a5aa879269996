//! HyperLogLog commands (Redis 7.0's `hyperloglog.c`): PFADD PFCOUNT
//! PFMERGE and PFDEBUG. A HyperLogLog is a plain string (TYPE says
//! string, GET shows its bytes); the algorithm over those bytes lives in
//! [`crate::types::hll`].

use super::{c_str, errors, Call, Handler, Keyspace};
use crate::engine::Engine;
use crate::reply::Reply;
use crate::types::hll::{self, Corrupt, REGISTERS};
use crate::value::Value;

pub const HANDLERS: &[(&str, Handler)] = &[
    ("pfadd", pfadd),
    ("pfcount", pfcount),
    ("pfdebug", pfdebug),
    ("pfmerge", pfmerge),
];

/// A string that is not a HyperLogLog (Redis's `isHLLObjectOrReply`).
fn not_hll() -> Reply {
    Reply::error("WRONGTYPE Key is not a valid HyperLogLog string value.")
}

/// A HyperLogLog whose sparse opcodes do not add up.
fn corrupt() -> Reply {
    Reply::error("INVALIDOBJ Corrupted HLL object detected")
}

impl From<Corrupt> for Reply {
    fn from(_: Corrupt) -> Reply {
        corrupt()
    }
}

/// The HyperLogLog at `key` for changing in place: `Ok(None)` if missing,
/// the wrong-type errors as Redis checks them (another type, then a string
/// that is not an HLL).
fn hll_mut<'a>(ks: &'a mut Keyspace<'_>, key: &[u8]) -> Result<Option<&'a mut Vec<u8>>, Reply> {
    match ks.get_mut(key) {
        None => Ok(None),
        Some(Value::Str(s)) if hll::is_valid(s) => Ok(Some(s)),
        Some(Value::Str(_)) => Err(not_hll()),
        Some(_) => Err(errors::wrongtype()),
    }
}

/// As [`hll_mut`], for reading.
fn hll_ref<'a>(ks: &'a mut Keyspace<'_>, key: &[u8]) -> Result<Option<&'a Vec<u8>>, Reply> {
    match ks.get(key) {
        None => Ok(None),
        Some(Value::Str(s)) if hll::is_valid(s) => Ok(Some(s)),
        Some(Value::Str(_)) => Err(not_hll()),
        Some(_) => Err(errors::wrongtype()),
    }
}

/// PFADD key [element ...]: 1 if the key was created or a register grew.
/// A corrupted HLL answers an error but keeps what the elements before the
/// bad one changed, as Redis does.
fn pfadd(e: &mut Engine, call: &mut Call) -> Reply {
    let key = call.arg(1);
    let mut ks = e.keyspace(call.client);
    let mut updated = false;
    let s = match hll_mut(&mut ks, key) {
        Ok(Some(s)) => s,
        Ok(None) => {
            ks.db.set(key, Value::Str(hll::new_sparse()));
            updated = true;
            match hll_mut(&mut ks, key) {
                Ok(Some(s)) => s,
                _ => return corrupt(), // just written: not reached
            }
        }
        Err(err) => return err,
    };
    let mut failed = false;
    for element in &call.argv[2..] {
        match hll::add(s, element) {
            Ok(grew) => updated |= grew,
            Err(Corrupt) => {
                failed = true;
                break;
            }
        }
    }
    if updated && !failed {
        hll::invalidate_cache(s);
    }
    if updated {
        ks.written(key, "pfadd");
    }
    if failed {
        return corrupt();
    }
    Reply::Integer(updated as i64)
}

/// PFCOUNT key [key ...]. One key: the cached cardinality, or a fresh one
/// written back into the string (so GET then shows it). Several: the
/// cardinality of their union, computed aside, nothing written.
fn pfcount(e: &mut Engine, call: &mut Call) -> Reply {
    let mut ks = e.keyspace(call.client);
    if call.argv.len() > 2 {
        let mut max = [0u8; REGISTERS];
        for key in &call.argv[1..] {
            match hll_ref(&mut ks, key) {
                Ok(Some(s)) => {
                    if let Err(err) = hll::merge_into(&mut max, s) {
                        return err.into();
                    }
                }
                Ok(None) => {}
                Err(err) => return err,
            }
        }
        return Reply::Integer(hll::count_raw(&max) as i64);
    }
    let key = call.arg(1);
    let s = match hll_mut(&mut ks, key) {
        Ok(Some(s)) => s,
        Ok(None) => return Reply::Integer(0),
        Err(err) => return err,
    };
    if let Some(card) = hll::cached(s) {
        return Reply::Integer(card as i64);
    }
    let card = match hll::count(s) {
        Ok(card) => card,
        Err(err) => return err.into(),
    };
    hll::set_cached(s, card);
    ks.written(key, "pfcount");
    // Redis answers the unsigned count as a signed one.
    Reply::Integer(card as i64)
}

/// PFMERGE destkey [sourcekey ...]: the register-wise maximum of the
/// destination and the sources into the destination. The destination
/// turns dense if any input is dense; otherwise the registers are set one
/// by one on the sparse form (which may still turn dense on the way).
fn pfmerge(e: &mut Engine, call: &mut Call) -> Reply {
    let mut ks = e.keyspace(call.client);
    let mut max = [0u8; REGISTERS];
    let mut use_dense = false;
    for key in &call.argv[1..] {
        match hll_ref(&mut ks, key) {
            Ok(Some(s)) => {
                use_dense |= !hll::is_sparse(s);
                if let Err(err) = hll::merge_into(&mut max, s) {
                    return err.into();
                }
            }
            Ok(None) => {}
            Err(err) => return err,
        }
    }
    let dest = call.arg(1);
    if !ks.db.contains(dest, ks.now, ks.events) {
        ks.db.set(dest, Value::Str(hll::new_sparse()));
    }
    let s = match hll_mut(&mut ks, dest) {
        Ok(Some(s)) => s,
        Ok(None) => return corrupt(), // just written: not reached
        Err(err) => return err,       // checked above: not reached
    };
    if use_dense && hll::is_sparse(s) {
        match hll::sparse_to_dense(s) {
            Ok(dense) => *s = dense,
            Err(err) => return err.into(),
        }
    }
    for (index, &count) in max.iter().enumerate() {
        if count > 0 {
            // The merge above validated every input: this cannot fail, and
            // Redis ignores the result here too.
            let _ = hll::set_register(s, index, count);
        }
    }
    hll::invalidate_cache(s);
    ks.written(dest, "pfmerge");
    Reply::ok()
}

/// PFDEBUG GETREG|DECODE|ENCODING|TODENSE key: the key is looked up and
/// checked before the subcommand is.
fn pfdebug(e: &mut Engine, call: &mut Call) -> Reply {
    let sub = c_str(call.arg(1)).to_ascii_lowercase();
    let key = call.arg(2);
    let mut ks = e.keyspace(call.client);
    let s = match hll_mut(&mut ks, key) {
        Ok(Some(s)) => s,
        Ok(None) => return Reply::error("ERR The specified key does not exist"),
        Err(err) => return err,
    };
    match sub.as_slice() {
        b"getreg" | b"todense" => {
            let converted = hll::is_sparse(s);
            if converted {
                match hll::sparse_to_dense(s) {
                    Ok(dense) => *s = dense,
                    Err(err) => return err.into(),
                }
            }
            let reply = if sub == b"todense" {
                Reply::Integer(converted as i64)
            } else {
                match hll::registers(s) {
                    Ok(regs) => {
                        Reply::Array(regs.into_iter().map(|r| Reply::Integer(r as i64)).collect())
                    }
                    Err(err) => err.into(),
                }
            };
            if converted {
                ks.written(key, "pfdebug");
            }
            reply
        }
        b"decode" => {
            if !hll::is_sparse(s) {
                return Reply::error("ERR HLL encoding is not sparse");
            }
            Reply::Bulk(hll::decode(s).into_bytes())
        }
        b"encoding" => Reply::Status(if hll::is_sparse(s) { "sparse" } else { "dense" }.into()),
        _ => Reply::Error(errors::sanitize(&format!(
            "ERR Unknown PFDEBUG subcommand '{}'",
            String::from_utf8_lossy(c_str(call.arg(1)))
        ))),
    }
}

#[cfg(test)]
#[path = "hll_tests.rs"]
mod tests;
