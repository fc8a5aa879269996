//! SORT and SORT_RO (Redis 7.0's `sort.c`): the elements of a list, set
//! or sorted set, ordered by their own value or by keys named after them
//! (`BY weight_*`, `BY obj_*->field`), as numbers or as text (ALPHA),
//! with LIMIT, GET patterns, and STORE into a list.
//!
//! Redis's order of work is kept: options are parsed first (a syntax
//! error wins over WRONGTYPE), then the key is looked up, the vector
//! loaded, scored, sorted, and only then is a conversion error reported
//! (so nothing is stored). The server runs in the C locale here, so its
//! `strcoll` is `strcmp`: ALPHA compares bytes up to the first NUL,
//! except with STORE, where Redis compares whole strings with `memcmp`.
//!
//! One Redis quirk is not modelled: it tests `errno == ERANGE` after
//! `strtod` without clearing `errno` first, so after one range error a
//! numeric SORT fails until something else in the server sets `errno`
//! (a new connection does). The engine judges each score on its own
//! (tests/corpus/sort-range-errors.redis shows both).

use std::cmp::Ordering;

use super::num;
use super::{arg_is as is, c_str, errors, Call, Handler, Keyspace};
use crate::engine::Engine;
use crate::reply::Reply;
use crate::types::{List, ZSet};
use crate::value::Value;

pub const HANDLERS: &[(&str, Handler)] = &[("sort", sort), ("sort_ro", sort_ro)];

fn sort(e: &mut Engine, call: &mut Call) -> Reply {
    sort_generic(e, call, false)
}

fn sort_ro(e: &mut Engine, call: &mut Call) -> Reply {
    sort_generic(e, call, true)
}

/// The parsed options of one SORT.
struct Options {
    desc: bool,
    alpha: bool,
    /// LIMIT's offset and count as given (count < 0: to the end).
    limit: (i64, i64),
    /// The BY pattern, if it has a `*`; a BY without one means no sorting.
    by: Option<Vec<u8>>,
    dont_sort: bool,
    gets: Vec<Vec<u8>>,
    store: Option<Vec<u8>>,
}

/// Redis's option loop: later options override earlier ones, an option
/// missing its arguments is a syntax error, and STORE is not an option of
/// SORT_RO at all.
fn parse(call: &Call, readonly: bool) -> Result<Options, Reply> {
    let mut o = Options {
        desc: false,
        alpha: false,
        limit: (0, -1),
        by: None,
        dont_sort: false,
        gets: Vec::new(),
        store: None,
    };
    let argc = call.argv.len();
    let mut j = 2;
    while j < argc {
        let left = argc - j - 1;
        let arg = call.arg(j);
        if is(arg, "asc") {
            o.desc = false;
        } else if is(arg, "desc") {
            o.desc = true;
        } else if is(arg, "alpha") {
            o.alpha = true;
        } else if is(arg, "limit") && left >= 2 {
            let start = num::parse_i64(call.arg(j + 1)).ok_or_else(errors::not_integer)?;
            let count = num::parse_i64(call.arg(j + 2)).ok_or_else(errors::not_integer)?;
            o.limit = (start, count);
            j += 2;
        } else if !readonly && is(arg, "store") && left >= 1 {
            o.store = Some(call.arg(j + 1).to_vec());
            j += 1;
        } else if is(arg, "by") && left >= 1 {
            let pattern = call.arg(j + 1);
            // Later BY options replace earlier ones, but a constant one
            // has switched sorting off for good (as in Redis).
            if !c_str(pattern).contains(&b'*') {
                o.dont_sort = true;
            }
            o.by = Some(pattern.to_vec());
            j += 1;
        } else if is(arg, "get") && left >= 1 {
            o.gets.push(call.arg(j + 1).to_vec());
            j += 1;
        } else {
            return Err(errors::syntax());
        }
        j += 1;
    }
    Ok(o)
}

/// The elements of a sorted set in its order (by score, then member).
fn zset_elements(z: &ZSet) -> Vec<Vec<u8>> {
    z.iter().map(|e| e.member.to_vec()).collect()
}

/// What the sorted key holds, borrowed out of the keyspace.
enum Source {
    /// A list, or a missing key (an empty list, as Redis sorts it).
    List(Vec<Vec<u8>>),
    Set(Vec<Vec<u8>>),
    /// A sorted set's members in its order.
    ZSet(Vec<Vec<u8>>),
}

/// The list's elements from index `from`, `n` of them, walking towards
/// the tail (or the head when `backwards`).
fn list_range(list: &List, from: usize, n: usize, backwards: bool) -> Vec<Vec<u8>> {
    (0..n)
        .map_while(|i| {
            let at = if backwards {
                from.checked_sub(i)?
            } else {
                from + i
            };
            list.get(at).map(<[u8]>::to_vec)
        })
        .collect()
}

/// One element of the vector being sorted, with what it is compared by.
struct Item {
    obj: Vec<u8>,
    score: f64,
    /// The BY value of an ALPHA sort by pattern (`None`: no such key).
    cmp: Option<Vec<u8>>,
}

fn sort_generic(e: &mut Engine, call: &mut Call, readonly: bool) -> Reply {
    let mut o = match parse(call, readonly) {
        Ok(o) => o,
        Err(err) => return err,
    };
    let mut ks = e.keyspace(call.client);
    // When nothing is sorted, a list keeps its order and LIMIT is read as
    // a range of it; a set is sorted anyway when stored (replicas and
    // scripts must see the same result), as ALPHA.
    let (start_arg, count_arg) = o.limit;
    let key = call.arg(1);
    let (len, is_set) = match ks.get_mut(key) {
        None => (0, false),
        Some(Value::List(l)) => (l.len(), false),
        Some(Value::Set(s)) => (s.len(), true),
        // Redis converts a listpack sorted set to a skiplist for SORT,
        // for good ("destructively convert encoded sorted sets").
        Some(Value::ZSet(z)) => {
            z.convert_to_skiplist();
            (z.len(), false)
        }
        Some(_) => return errors::wrongtype(),
    };
    if o.dont_sort && is_set && o.store.is_some() {
        o.dont_sort = false;
        o.alpha = true;
        o.by = None;
    }
    let by = if o.dont_sort { None } else { o.by.clone() };

    // LIMIT, as Redis clamps it (with C's wrapping `long` arithmetic).
    let vlen = len as i64;
    let mut start = start_arg.max(0);
    let mut end = if count_arg < 0 {
        vlen - 1
    } else {
        start.wrapping_add(count_arg).wrapping_sub(1)
    };
    if start >= vlen {
        start = vlen - 1;
        end = vlen - 2;
    }
    if end >= vlen {
        end = vlen - 1;
    }

    // The key was looked up above (a second read is no second miss).
    let source = match ks.db.peek(key).filter(|_| len > 0) {
        Some(Value::Set(s)) => Source::Set(s.iter().collect()),
        Some(Value::ZSet(z)) => Source::ZSet(zset_elements(z)),
        Some(Value::List(l)) if o.dont_sort => {
            // Only the range asked for, from the chosen end.
            let list = if end >= start {
                let n = (end - start + 1) as usize;
                let from = if o.desc {
                    len - start as usize - 1
                } else {
                    start as usize
                };
                list_range(l, from, n, o.desc)
            } else {
                Vec::new()
            };
            end -= start;
            start = 0;
            Source::List(list)
        }
        Some(Value::List(l)) => Source::List(list_range(l, 0, len, false)),
        _ => Source::List(Vec::new()),
    };
    let elements = match source {
        Source::ZSet(all) if o.dont_sort => {
            // The rank range, from the tail for DESC.
            let picked = if end >= start {
                let (s, n) = (start as usize, (end - start + 1) as usize);
                if o.desc {
                    all.into_iter().rev().skip(s).take(n).collect()
                } else {
                    all.into_iter().skip(s).take(n).collect()
                }
            } else {
                Vec::new()
            };
            end -= start;
            start = 0;
            picked
        }
        Source::List(v) | Source::Set(v) | Source::ZSet(v) => v,
    };
    let mut vector: Vec<Item> = elements
        .into_iter()
        .map(|obj| Item {
            obj,
            score: 0.0,
            cmp: None,
        })
        .collect();

    let mut conversion_error = false;
    if !o.dont_sort {
        for item in &mut vector {
            let by_value = match &by {
                Some(pattern) => match lookup_by_pattern(&mut ks, pattern, &item.obj) {
                    Some(v) => v,
                    None => continue,
                },
                None => item.obj.clone(),
            };
            if o.alpha {
                if by.is_some() {
                    item.cmp = Some(by_value);
                }
            } else {
                match score(&by_value) {
                    Some(s) => item.score = s,
                    None => conversion_error = true,
                }
            }
        }
        let how = Compare {
            alpha: o.alpha,
            by_pattern: by.is_some(),
            store: o.store.is_some(),
            desc: o.desc,
        };
        // A stable sort, as glibc's `qsort` (a merge sort) is: only ALPHA
        // by pattern leaves ties, which then keep the source's order.
        vector.sort_by(|a, b| how.compare(a, b));
    }

    if conversion_error {
        return Reply::error("ERR One or more scores can't be converted into double");
    }
    // `start..=end` within the vector, or nothing.
    let range: &[Item] = if end >= start && start >= 0 {
        let s = start as usize;
        let e = (end as usize).min(vector.len().saturating_sub(1));
        vector.get(s..=e).unwrap_or(&[])
    } else {
        &[]
    };
    match &o.store {
        None => {
            let mut out = Vec::new();
            for item in range {
                if o.gets.is_empty() {
                    out.push(Reply::Bulk(item.obj.clone()));
                }
                for pattern in &o.gets {
                    out.push(
                        lookup_by_pattern(&mut ks, pattern, &item.obj)
                            .map_or(Reply::Nil, Reply::Bulk),
                    );
                }
            }
            Reply::Array(out)
        }
        Some(dst) => {
            let mut list = List::default();
            for item in range {
                if o.gets.is_empty() {
                    list.push(crate::types::list::End::Right, item.obj.clone());
                }
                for pattern in &o.gets {
                    let v = lookup_by_pattern(&mut ks, pattern, &item.obj).unwrap_or_default();
                    list.push(crate::types::list::End::Right, v);
                }
            }
            store(&mut ks, dst, list)
        }
    }
}

/// Writes the result list at `dst` (replacing any value and its TTL), or
/// deletes `dst` when the result is empty; answers the list's length.
fn store(ks: &mut Keyspace, dst: &[u8], list: List) -> Reply {
    let n = list.len();
    if n == 0 {
        ks.delete(dst);
    } else {
        ks.set(dst, Value::List(list), "sort");
    }
    Reply::Integer(n as i64)
}

/// Redis's `sortCompare`.
struct Compare {
    alpha: bool,
    by_pattern: bool,
    store: bool,
    desc: bool,
}

impl Compare {
    fn compare(&self, a: &Item, b: &Item) -> Ordering {
        let cmp = if !self.alpha {
            // Equal scores fall back to the elements themselves, so the
            // result is deterministic.
            match a.score.partial_cmp(&b.score) {
                Some(Ordering::Equal) | None => a.obj.cmp(&b.obj),
                Some(o) => o,
            }
        } else if self.by_pattern {
            match (&a.cmp, &b.cmp) {
                (None, None) => Ordering::Equal,
                (None, Some(_)) => Ordering::Less,
                (Some(_), None) => Ordering::Greater,
                (Some(x), Some(y)) => self.text(x, y),
            }
        } else {
            self.text(&a.obj, &b.obj)
        };
        if self.desc {
            cmp.reverse()
        } else {
            cmp
        }
    }

    /// `memcmp` then length with STORE, `strcoll` (in the C locale:
    /// `strcmp`, up to the first NUL) without.
    fn text(&self, a: &[u8], b: &[u8]) -> Ordering {
        if self.store {
            a.cmp(b)
        } else {
            c_str(a).cmp(c_str(b))
        }
    }
}

/// Redis's `lookupKeyByPattern`: `#` is the element itself; otherwise the
/// first `*` is replaced by the element, and a `->field` after it (with a
/// non-empty field) reads that field of a hash. Anything else (no `*`, no
/// such key, a key of another type, no such field) is `None`.
fn lookup_by_pattern(ks: &mut Keyspace, pattern: &[u8], subst: &[u8]) -> Option<Vec<u8>> {
    let cpat = c_str(pattern);
    if cpat == b"#" {
        return Some(subst.to_vec());
    }
    let star = cpat.iter().position(|&b| b == b'*')?;
    let after = &cpat[star + 1..];
    let arrow = after
        .windows(2)
        .position(|w| w == b"->")
        .filter(|&i| i + 2 < after.len());
    let (postfix_end, field) = match arrow {
        Some(i) => {
            let at = star + 1 + i;
            (at, Some(&pattern[at + 2..]))
        }
        None => (pattern.len(), None),
    };
    let mut key = Vec::with_capacity(pattern.len() + subst.len());
    key.extend_from_slice(&pattern[..star]);
    key.extend_from_slice(subst);
    key.extend_from_slice(&pattern[star + 1..postfix_end]);
    match (ks.get(&key)?, field) {
        (Value::Hash(h), Some(field)) => h.get(field).map(<[u8]>::to_vec),
        (Value::Str(s), None) => Some(s.clone()),
        _ => None,
    }
}

/// The score of a numeric sort: C's `strtod` must read the whole text
/// (up to a NUL), without a range error (overflow, or a result that
/// underflows to a subnormal or zero) and not NaN. An empty text is 0.
fn score(text: &[u8]) -> Option<f64> {
    let text = c_str(text);
    let r = num::strtod_prefix(text);
    (r.len == text.len() && !r.erange && !r.value.is_nan()).then_some(r.value)
}

#[cfg(test)]
#[path = "sort_tests.rs"]
mod tests;
