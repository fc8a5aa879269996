//! Ranges of a sorted set: ZRANGE (BYSCORE BYLEX REV LIMIT WITHSCORES),
//! ZRANGESTORE, the older ZREVRANGE ZRANGEBYSCORE ZREVRANGEBYSCORE
//! ZRANGEBYLEX ZREVRANGEBYLEX, ZCOUNT, ZLEXCOUNT and ZREMRANGEBYRANK /
//! BYSCORE / BYLEX: Redis's `zrangeGenericCommand` and
//! `zremrangeGenericCommand`, with its range parsers.

use super::{errors, integer, is, removed_from, score_reply};
use crate::commands::num;
use crate::commands::Call;
use crate::engine::Engine;
use crate::reply::Reply;
use crate::types::zset::Entry;
use crate::types::ZSet;
use crate::value::Value;

/// A score interval (Redis's `zrangespec`).
#[derive(Clone, Copy, Debug)]
pub(crate) struct ScoreRange {
    min: f64,
    minex: bool,
    max: f64,
    maxex: bool,
}

impl ScoreRange {
    fn gte_min(&self, s: f64) -> bool {
        if self.minex {
            s > self.min
        } else {
            s >= self.min
        }
    }

    fn lte_max(&self, s: f64) -> bool {
        if self.maxex {
            s < self.max
        } else {
            s <= self.max
        }
    }
}

/// One end of a score range as `zslParseRange` reads it with `strtod`: a
/// `(` makes it exclusive; the rest must be read to its end (a NUL byte
/// ends it, an empty text is 0) and not be NaN; out-of-range values are
/// taken as strtod gives them.
fn score_bound(arg: &[u8]) -> Option<(f64, bool)> {
    let (text, ex) = match arg.split_first() {
        Some((b'(', rest)) => (rest, true),
        _ => (arg, false),
    };
    let r = num::strtod_prefix(text);
    let end = text.iter().position(|&b| b == 0).unwrap_or(text.len());
    (r.len == end && !r.value.is_nan()).then_some((r.value, ex))
}

pub(crate) fn parse_score_range(min: &[u8], max: &[u8]) -> Result<ScoreRange, Reply> {
    match (score_bound(min), score_bound(max)) {
        (Some((min, minex)), Some((max, maxex))) => Ok(ScoreRange {
            min,
            minex,
            max,
            maxex,
        }),
        _ => Err(Reply::error("ERR min or max is not a float")),
    }
}

/// One end of a lex range (`zslParseLexRangeItem`).
#[derive(Clone, Debug, PartialEq)]
enum Lex {
    /// `-`: below every member.
    Min,
    /// `+`: above every member.
    Max,
    /// `[x` (inclusive) or `(x` (exclusive).
    Str(Vec<u8>, bool),
}

impl Lex {
    /// `sdscmplex` against a member.
    fn cmp_member(&self, member: &[u8]) -> std::cmp::Ordering {
        use std::cmp::Ordering::*;
        match self {
            Lex::Min => Less,
            Lex::Max => Greater,
            Lex::Str(s, _) => s.as_slice().cmp(member),
        }
    }

    fn exclusive(&self) -> bool {
        match self {
            Lex::Min | Lex::Max => true,
            Lex::Str(_, ex) => *ex,
        }
    }
}

#[derive(Clone, Debug)]
pub(crate) struct LexRange {
    min: Lex,
    max: Lex,
}

impl LexRange {
    fn gte_min(&self, m: &[u8]) -> bool {
        let c = self.min.cmp_member(m).reverse();
        if self.min.exclusive() {
            c.is_gt()
        } else {
            c.is_ge()
        }
    }

    fn lte_max(&self, m: &[u8]) -> bool {
        let c = self.max.cmp_member(m).reverse();
        if self.max.exclusive() {
            c.is_lt()
        } else {
            c.is_le()
        }
    }

    /// Whether no member can be in range (`min > max`, or equal ends with
    /// one exclusive), by `sdscmplex`.
    fn is_empty(&self) -> bool {
        use std::cmp::Ordering::*;
        let cmp = match (&self.min, &self.max) {
            (a, b) if a == b => Equal,
            (Lex::Min, _) | (_, Lex::Max) => Less,
            (Lex::Max, _) | (_, Lex::Min) => Greater,
            (Lex::Str(a, _), Lex::Str(b, _)) => a.cmp(b),
        };
        cmp.is_gt() || (cmp.is_eq() && (self.min.exclusive() || self.max.exclusive()))
    }
}

fn lex_bound(arg: &[u8]) -> Option<Lex> {
    match arg.split_first() {
        Some((b'+', rest)) if rest.first().is_none_or(|&b| b == 0) => Some(Lex::Max),
        Some((b'-', rest)) if rest.first().is_none_or(|&b| b == 0) => Some(Lex::Min),
        Some((b'(', rest)) => Some(Lex::Str(rest.to_vec(), true)),
        Some((b'[', rest)) => Some(Lex::Str(rest.to_vec(), false)),
        _ => None,
    }
}

pub(crate) fn parse_lex_range(min: &[u8], max: &[u8]) -> Result<LexRange, Reply> {
    match (lex_bound(min), lex_bound(max)) {
        (Some(min), Some(max)) => Ok(LexRange { min, max }),
        _ => Err(Reply::error("ERR min or max not valid string range item")),
    }
}

/// The ascending ranks `[lo, hi)` a score range covers.
fn score_span(z: &ZSet, r: &ScoreRange) -> (usize, usize) {
    let lo = z.partition(|e| !r.gte_min(e.score));
    let hi = z.partition(|e| r.lte_max(e.score));
    if lo < hi {
        (lo, hi)
    } else {
        (0, 0)
    }
}

/// The ascending ranks `[lo, hi)` a lex range covers, found as Redis's
/// listpack walks find them: forward, the first member from the start at
/// or above min, then on while at or below max; in reverse, the first
/// member from the end at or below max, then back while at or above min.
/// When all scores are equal, member order is the set's order and a
/// binary search gives the same answer.
fn lex_span(z: &ZSet, r: &LexRange, rev: bool) -> (usize, usize) {
    let len = z.len();
    if r.is_empty() || len == 0 {
        return (0, 0);
    }
    if z.single_score() {
        let lo = z.partition(|e| !r.gte_min(&e.member));
        let hi = z.partition(|e| r.lte_max(&e.member));
        return if lo < hi { (lo, hi) } else { (0, 0) };
    }
    let member = |i: usize| z.get(i).map(|e| e.member.clone());
    let (Some(first), Some(last)) = (member(0), member(len - 1)) else {
        return (0, 0);
    };
    if !r.gte_min(&last) || !r.lte_max(&first) {
        return (0, 0);
    }
    if !rev {
        let Some(lo) = z.iter().position(|e| r.gte_min(&e.member)) else {
            return (0, 0);
        };
        let n = z.iter_from(lo).take_while(|e| r.lte_max(&e.member)).count();
        (lo, lo + n)
    } else {
        let Some(back) = z.iter_rev_from(len - 1).position(|e| r.lte_max(&e.member)) else {
            return (0, 0);
        };
        let hi = len - back;
        let n = z
            .iter_rev_from(hi - 1)
            .take_while(|e| r.gte_min(&e.member))
            .count();
        (hi - n, hi)
    }
}

/// ZRANGE's range kinds.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Auto,
    Rank,
    Score,
    Lex,
}

/// What was asked, parsed.
enum Range {
    Rank(i64, i64),
    Score(ScoreRange),
    Lex(LexRange),
}

pub fn zrange(e: &mut Engine, call: &mut Call) -> Reply {
    zrange_generic(e, call, 1, None, Kind::Auto, None)
}

pub fn zrangestore(e: &mut Engine, call: &mut Call) -> Reply {
    let dst = call.arg(1).to_vec();
    zrange_generic(e, call, 2, Some(dst), Kind::Auto, None)
}

pub fn zrevrange(e: &mut Engine, call: &mut Call) -> Reply {
    zrange_generic(e, call, 1, None, Kind::Rank, Some(true))
}

pub fn zrangebyscore(e: &mut Engine, call: &mut Call) -> Reply {
    zrange_generic(e, call, 1, None, Kind::Score, Some(false))
}

pub fn zrevrangebyscore(e: &mut Engine, call: &mut Call) -> Reply {
    zrange_generic(e, call, 1, None, Kind::Score, Some(true))
}

pub fn zrangebylex(e: &mut Engine, call: &mut Call) -> Reply {
    zrange_generic(e, call, 1, None, Kind::Lex, Some(false))
}

pub fn zrevrangebylex(e: &mut Engine, call: &mut Call) -> Reply {
    zrange_generic(e, call, 1, None, Kind::Lex, Some(true))
}

/// Redis's `zrangeGenericCommand`: options after `key min max` (a fixed
/// kind or direction refuses its keyword), the conflicts, the range, then
/// the key.
fn zrange_generic(
    e: &mut Engine,
    call: &mut Call,
    first: usize,
    store: Option<Vec<u8>>,
    mut kind: Kind,
    fixed_rev: Option<bool>,
) -> Reply {
    let argc = call.argv.len();
    let mut rev = fixed_rev;
    let mut withscores = false;
    let (mut offset, mut limit) = (0i64, -1i64);
    let mut j = first + 3;
    while j < argc {
        let a = call.arg(j);
        let left = argc - j - 1;
        if store.is_none() && is(a, "withscores") {
            withscores = true;
        } else if is(a, "limit") && left >= 2 {
            match (integer(call.arg(j + 1)), integer(call.arg(j + 2))) {
                (Ok(o), Ok(l)) => (offset, limit) = (o, l),
                (Err(err), _) | (_, Err(err)) => return err,
            }
            j += 2;
        } else if fixed_rev.is_none() && rev.is_none() && is(a, "rev") {
            rev = Some(true);
        } else if kind == Kind::Auto && is(a, "bylex") {
            kind = Kind::Lex;
        } else if kind == Kind::Auto && is(a, "byscore") {
            kind = Kind::Score;
        } else {
            return errors::syntax();
        }
        j += 1;
    }
    let rev = rev.unwrap_or(false);
    if kind == Kind::Auto {
        kind = Kind::Rank;
    }
    if limit != -1 && kind == Kind::Rank {
        return Reply::error(
            "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX",
        );
    }
    if withscores && kind == Kind::Lex {
        return Reply::error(
            "ERR syntax error, WITHSCORES not supported in combination with BYLEX",
        );
    }
    let (mut lo_arg, mut hi_arg) = (call.arg(first + 1), call.arg(first + 2));
    if rev && kind != Kind::Rank {
        std::mem::swap(&mut lo_arg, &mut hi_arg);
    }
    let range = match kind {
        Kind::Score => match parse_score_range(lo_arg, hi_arg) {
            Ok(r) => Range::Score(r),
            Err(err) => return err,
        },
        Kind::Lex => match parse_lex_range(lo_arg, hi_arg) {
            Ok(r) => Range::Lex(r),
            Err(err) => return err,
        },
        _ => match (integer(lo_arg), integer(hi_arg)) {
            (Ok(a), Ok(b)) => Range::Rank(a, b),
            (Err(err), _) | (_, Err(err)) => return err,
        },
    };
    let key = call.arg(first);
    let mut ks = e.keyspace(call.client);
    let picked: Vec<(Vec<u8>, f64)> = match ks.get_as(key, Value::as_zset) {
        Err(err) => return err,
        Ok(None) => Vec::new(),
        Ok(Some(z)) => pick(z, &range, rev, offset, limit),
    };
    let Some(dst) = store else {
        let mut out = Vec::with_capacity(picked.len() * (1 + withscores as usize));
        for (m, s) in picked {
            out.push(Reply::Bulk(m));
            if withscores {
                out.push(score_reply(s));
            }
        }
        return Reply::Array(out);
    };
    if picked.is_empty() {
        ks.delete(&dst);
        return Reply::Integer(0);
    }
    let limits = ks.zset_limits();
    let mut z = ZSet::default();
    for (m, s) in &picked {
        z.insert_within(m, *s, limits);
    }
    let n = z.len() as i64;
    ks.set(&dst, Value::ZSet(z), "zrangestore");
    Reply::Integer(n)
}

/// Normalizes a rank range as Redis does: negative counts from the end,
/// clamped; `None` when empty.
fn rank_span(len: usize, start: i64, end: i64) -> Option<(usize, usize)> {
    let len = len as i64;
    let mut start = if start < 0 { len + start } else { start };
    let mut end = if end < 0 { len + end } else { end };
    if start < 0 {
        start = 0;
    }
    if start > end || start >= len {
        return None;
    }
    if end >= len {
        end = len - 1;
    }
    Some((start as usize, end as usize))
}

/// The members and scores a range picks, in the order they are answered.
fn pick(z: &ZSet, range: &Range, rev: bool, offset: i64, limit: i64) -> Vec<(Vec<u8>, f64)> {
    let own = |e: &Entry| (e.member.to_vec(), e.score);
    let len = z.len();
    let (lo, hi) = match range {
        Range::Rank(start, end) => {
            let Some((start, end)) = rank_span(len, *start, *end) else {
                return Vec::new();
            };
            let n = end - start + 1;
            return if rev {
                z.iter_rev_from(len - 1 - start).take(n).map(own).collect()
            } else {
                z.iter_from(start).take(n).map(own).collect()
            };
        }
        Range::Score(r) => score_span(z, r),
        Range::Lex(r) => lex_span(z, r, rev),
    };
    // `offset >= len` answers nothing at once; a negative offset skips
    // past every element (`while (eptr && offset--)`); a negative limit
    // is no limit.
    if lo >= hi || offset < 0 || (offset > 0 && offset as u64 >= len as u64) {
        return Vec::new();
    }
    let offset = offset as usize;
    let take = if limit < 0 {
        usize::MAX
    } else {
        usize::try_from(limit).unwrap_or(usize::MAX)
    };
    let n = (hi - lo).saturating_sub(offset).min(take);
    if n == 0 {
        return Vec::new();
    }
    if rev {
        z.iter_rev_from(hi - 1 - offset).take(n).map(own).collect()
    } else {
        z.iter_from(lo + offset).take(n).map(own).collect()
    }
}

/// ZCOUNT key min max.
pub fn zcount(e: &mut Engine, call: &mut Call) -> Reply {
    let r = match parse_score_range(call.arg(2), call.arg(3)) {
        Ok(r) => r,
        Err(err) => return err,
    };
    match e.keyspace(call.client).get_as(call.arg(1), Value::as_zset) {
        Ok(Some(z)) => {
            let (lo, hi) = score_span(z, &r);
            Reply::Integer((hi - lo) as i64)
        }
        Ok(None) => Reply::Integer(0),
        Err(err) => err,
    }
}

/// ZLEXCOUNT key min max.
pub fn zlexcount(e: &mut Engine, call: &mut Call) -> Reply {
    let r = match parse_lex_range(call.arg(2), call.arg(3)) {
        Ok(r) => r,
        Err(err) => return err,
    };
    match e.keyspace(call.client).get_as(call.arg(1), Value::as_zset) {
        Ok(Some(z)) => {
            let (lo, hi) = lex_span(z, &r, false);
            Reply::Integer((hi - lo) as i64)
        }
        Ok(None) => Reply::Integer(0),
        Err(err) => err,
    }
}

pub fn zremrangebyrank(e: &mut Engine, call: &mut Call) -> Reply {
    let range = match (integer(call.arg(2)), integer(call.arg(3))) {
        (Ok(a), Ok(b)) => Range::Rank(a, b),
        (Err(err), _) | (_, Err(err)) => return err,
    };
    zremrange(e, call, range, "zremrangebyrank")
}

pub fn zremrangebyscore(e: &mut Engine, call: &mut Call) -> Reply {
    match parse_score_range(call.arg(2), call.arg(3)) {
        Ok(r) => zremrange(e, call, Range::Score(r), "zremrangebyscore"),
        Err(err) => err,
    }
}

pub fn zremrangebylex(e: &mut Engine, call: &mut Call) -> Reply {
    match parse_lex_range(call.arg(2), call.arg(3)) {
        Ok(r) => zremrange(e, call, Range::Lex(r), "zremrangebylex"),
        Err(err) => err,
    }
}

/// Redis's `zremrangeGenericCommand`, once the range is parsed: how many
/// members went; an emptied key is deleted.
fn zremrange(e: &mut Engine, call: &mut Call, range: Range, event: &'static str) -> Reply {
    let key = call.arg(1);
    let mut ks = e.keyspace(call.client);
    let z = match ks.get_as_mut(key, Value::as_zset_mut) {
        Ok(Some(z)) => z,
        Ok(None) => return Reply::Integer(0),
        Err(err) => return err,
    };
    let (lo, hi) = match &range {
        Range::Rank(a, b) => match rank_span(z.len(), *a, *b) {
            Some((s, t)) => (s, t + 1),
            None => (0, 0),
        },
        Range::Score(r) => score_span(z, r),
        Range::Lex(r) => lex_span(z, r, false),
    };
    let gone: Vec<Vec<u8>> = z
        .iter_from(lo)
        .take(hi.saturating_sub(lo))
        .map(|e| e.member.to_vec())
        .collect();
    for m in &gone {
        z.remove(m);
    }
    if !gone.is_empty() {
        removed_from(&mut ks, key, event);
    }
    Reply::Integer(gone.len() as i64)
}
