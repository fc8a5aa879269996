//! ZUNION ZINTER ZDIFF, their STORE forms and ZINTERCARD: Redis's
//! `zunionInterDiffGenericCommand`. Plain sets are accepted as inputs,
//! each member with score 1.

use rustc_hash::FxHashMap;

use super::{errors, is, score_reply};
use crate::commands::num;
use crate::commands::Call;
use crate::engine::Engine;
use crate::reply::Reply;
use crate::types::ZSet;
use crate::value::Value;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Op {
    Union,
    Inter,
    Diff,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Aggregate {
    Sum,
    Min,
    Max,
}

/// Redis's `zunionInterAggregate`: a sum of `inf` and `-inf` is 0; MIN and
/// MAX keep the target when the value is NaN.
fn aggregate(target: &mut f64, val: f64, agg: Aggregate) {
    match agg {
        Aggregate::Sum => {
            *target += val;
            if target.is_nan() {
                *target = 0.0;
            }
        }
        Aggregate::Min => {
            if val < *target {
                *target = val;
            }
        }
        Aggregate::Max => {
            if val > *target {
                *target = val;
            }
        }
    }
}

/// What the command answers.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Out {
    Reply,
    Store,
    Card,
}

pub fn zunion(e: &mut Engine, call: &mut Call) -> Reply {
    generic(e, call, 1, Op::Union, Out::Reply)
}

pub fn zinter(e: &mut Engine, call: &mut Call) -> Reply {
    generic(e, call, 1, Op::Inter, Out::Reply)
}

pub fn zdiff(e: &mut Engine, call: &mut Call) -> Reply {
    generic(e, call, 1, Op::Diff, Out::Reply)
}

pub fn zunionstore(e: &mut Engine, call: &mut Call) -> Reply {
    generic(e, call, 2, Op::Union, Out::Store)
}

pub fn zinterstore(e: &mut Engine, call: &mut Call) -> Reply {
    generic(e, call, 2, Op::Inter, Out::Store)
}

pub fn zdiffstore(e: &mut Engine, call: &mut Call) -> Reply {
    generic(e, call, 2, Op::Diff, Out::Store)
}

pub fn zintercard(e: &mut Engine, call: &mut Call) -> Reply {
    generic(e, call, 1, Op::Inter, Out::Card)
}

/// One input: its members and scores (a plain set's all 1), in the
/// input's order for walking, and a map of member to place in `items` for
/// lookups (pub/sub's map type: its hash table code is in the wasm once).
struct Source {
    items: Vec<(Vec<u8>, f64)>,
    map: FxHashMap<Vec<u8>, u64>,
}

impl Source {
    fn new(items: Vec<(Vec<u8>, f64)>) -> Source {
        Source {
            map: FxHashMap::default(),
            items,
        }
    }

    fn find(&mut self, member: &[u8]) -> Option<f64> {
        if self.map.is_empty() && !self.items.is_empty() {
            let places = self.items.iter().enumerate();
            self.map = places.map(|(i, (m, _))| (m.clone(), i as u64)).collect();
        }
        let place = *self.map.get(member)?;
        self.items.get(place as usize).map(|(_, score)| *score)
    }
}

/// The command's name as Redis's `c->cmd->fullname`.
fn name(call: &Call) -> String {
    String::from_utf8_lossy(call.arg(0)).to_ascii_lowercase()
}

/// `numkeys` at `argv[at]`, keys after it, then WEIGHTS / AGGREGATE /
/// WITHSCORES / LIMIT as the command allows. Keys are type-checked before
/// the options are read, as Redis does.
fn generic(e: &mut Engine, call: &mut Call, at: usize, op: Op, out: Out) -> Reply {
    let setnum = match num::parse_i64(call.arg(at)) {
        Some(n) => n,
        None => return errors::not_integer(),
    };
    if setnum < 1 {
        return Reply::error(format!(
            "ERR at least 1 input key is needed for '{}' command",
            name(call)
        ));
    }
    let argc = call.argv.len();
    if setnum as u64 > (argc - at - 1) as u64 {
        return errors::syntax();
    }
    let setnum = setnum as usize;
    let keys: Vec<Vec<u8>> = call.argv[at + 1..at + 1 + setnum].to_vec();
    let mut ks = e.keyspace(call.client);
    let mut sources = Vec::with_capacity(setnum);
    for key in &keys {
        let items = match ks.get(key) {
            None => Vec::new(),
            Some(Value::ZSet(z)) => z.iter().map(|en| (en.member.to_vec(), en.score)).collect(),
            Some(Value::Set(s)) => s.iter().map(|m| (m, 1.0)).collect(),
            Some(_) => return errors::wrongtype(),
        };
        sources.push(Source::new(items));
    }
    let mut weights = vec![1.0; setnum];
    let mut agg = Aggregate::Sum;
    let mut withscores = false;
    let mut limit = 0u64;
    let mut j = at + 1 + setnum;
    while j < argc {
        let remaining = argc - j;
        let a = call.arg(j);
        let algebra = op != Op::Diff && out != Out::Card;
        if algebra && remaining > setnum && is(a, "weights") {
            for (i, w) in weights.iter_mut().enumerate() {
                match num::parse_f64(call.arg(j + 1 + i)) {
                    Some(v) => *w = v,
                    None => return Reply::error("ERR weight value is not a float"),
                }
            }
            j += 1 + setnum;
        } else if algebra && remaining >= 2 && is(a, "aggregate") {
            let v = call.arg(j + 1);
            agg = if is(v, "sum") {
                Aggregate::Sum
            } else if is(v, "min") {
                Aggregate::Min
            } else if is(v, "max") {
                Aggregate::Max
            } else {
                return errors::syntax();
            };
            j += 2;
        } else if out == Out::Reply && is(a, "withscores") {
            withscores = true;
            j += 1;
        } else if out == Out::Card && remaining >= 2 && is(a, "limit") {
            limit = match num::parse_i64(call.arg(j + 1)) {
                Some(n) if n >= 0 => n as u64,
                _ => return Reply::error("ERR LIMIT can't be negative"),
            };
            j += 2;
        } else {
            return errors::syntax();
        }
    }
    let order: Vec<usize> = if op == Op::Diff {
        (0..setnum).collect()
    } else {
        // Smallest first (Redis's qsort by cardinality).
        crate::order::indices_by_key(setnum, |i| sources[i].items.len() as u64)
    };
    let mut result: Vec<(Vec<u8>, f64)> = Vec::new();
    match op {
        Op::Inter => {
            let first = order[0];
            let items = std::mem::take(&mut sources[first].items);
            'members: for (m, s) in &items {
                let mut score = weights[first] * s;
                if score.is_nan() {
                    score = 0.0;
                }
                for &k in &order[1..] {
                    let value = if keys[k] == keys[first] {
                        Some(*s)
                    } else {
                        sources[k].find(m)
                    };
                    match value {
                        Some(v) => aggregate(&mut score, v * weights[k], agg),
                        None => continue 'members,
                    }
                }
                result.push((m.clone(), score));
                if out == Out::Card && limit > 0 && result.len() as u64 >= limit {
                    break;
                }
            }
        }
        Op::Union => {
            // Member -> its place in `result` (first seen first).
            let mut places: FxHashMap<Vec<u8>, u64> = FxHashMap::default();
            for &k in &order {
                for (m, s) in &sources[k].items {
                    let mut score = weights[k] * s;
                    if score.is_nan() {
                        score = 0.0;
                    }
                    match places.get(m).and_then(|&i| result.get_mut(i as usize)) {
                        Some((_, t)) => aggregate(t, score, agg),
                        None => {
                            places.insert(m.clone(), result.len() as u64);
                            result.push((m.clone(), score));
                        }
                    }
                }
            }
        }
        Op::Diff => {
            let items = std::mem::take(&mut sources[0].items);
            for (m, s) in items {
                let mut gone = false;
                for k in 1..setnum {
                    if keys[k] == keys[0] || sources[k].find(&m).is_some() {
                        gone = true;
                        break;
                    }
                }
                if !gone {
                    result.push((m, s));
                }
            }
        }
    }
    match out {
        Out::Card => Reply::Integer(result.len() as i64),
        Out::Reply => {
            let mut z = ZSet::new_skiplist();
            for (m, s) in &result {
                z.insert(m, *s);
            }
            let mut items = Vec::with_capacity(z.len() * (1 + withscores as usize));
            for en in z.iter() {
                items.push(Reply::Bulk(en.member.to_vec()));
                if withscores {
                    items.push(score_reply(en.score));
                }
            }
            Reply::Array(items)
        }
        Out::Store => {
            let dst = call.arg(1);
            if result.is_empty() {
                ks.delete(dst);
                return Reply::Integer(0);
            }
            let mut z = ZSet::new_skiplist();
            for (m, s) in &result {
                z.insert(m, *s);
            }
            z.shrink_if_fits(ks.zset_limits());
            let n = z.len() as i64;
            let event = match op {
                Op::Union => "zunionstore",
                Op::Inter => "zinterstore",
                Op::Diff => "zdiffstore",
            };
            ks.set(dst, Value::ZSet(z), event);
            Reply::Integer(n)
        }
    }
}
