//! Geospatial commands (Redis 7.0's `geo.c`): GEOADD GEOPOS GEODIST
//! GEOHASH GEOSEARCH GEOSEARCHSTORE GEORADIUS GEORADIUSBYMEMBER and their
//! `_RO` forms. A geo key is a sorted set whose scores are 52-bit
//! geohashes ([`crate::types::geo`]): GEOADD is ZADD with encoded scores,
//! and every Z command works on the key.

use std::sync::Arc;

use super::num::LongDouble;
use super::zsets;
use super::{arg_is as is, errors, num, Call, Handler};
use crate::engine::Engine;
use crate::reply::Reply;
use crate::types::geo::{self, Shape, ShapeKind};
use crate::types::ZSet;
use crate::value::Value;

pub const HANDLERS: &[(&str, Handler)] = &[
    ("geoadd", geoadd),
    ("geodist", geodist),
    ("geohash", geohash),
    ("geopos", geopos),
    ("georadius", georadius),
    ("georadius_ro", georadius_ro),
    ("georadiusbymember", georadiusbymember),
    ("georadiusbymember_ro", georadiusbymember_ro),
    ("geosearch", geosearch),
    ("geosearchstore", geosearchstore),
];

/// `%.<decimals>f` of a double, as glibc prints it.
fn fixed(v: f64, decimals: u32) -> String {
    LongDouble::from_f64(v).to_fixed(decimals)
}

/// `addReplyHumanLongDouble`: `%.17Lf` with trailing zeros dropped.
fn human(v: f64) -> Reply {
    Reply::Bulk(LongDouble::from_f64(v).to_human().into_bytes())
}

/// `addReplyDoubleDistance`: four decimals.
fn distance_reply(d: f64) -> Reply {
    Reply::Bulk(fixed(d, 4).into_bytes())
}

/// `getDoubleFromObjectOrReply`: `ERR <msg>` when given one.
fn double(arg: &[u8], msg: Option<&str>) -> Result<f64, Reply> {
    num::parse_f64(arg).ok_or_else(|| match msg {
        Some(m) => Reply::error(format!("ERR {m}")),
        None => errors::not_float(),
    })
}

/// `extractLongLatOrReply`: a longitude and a latitude within Redis's
/// limits.
fn long_lat(args: &[Vec<u8>]) -> Result<[f64; 2], Reply> {
    let x = double(&args[0], None)?;
    let y = double(&args[1], None)?;
    if !(geo::LONG_MIN..=geo::LONG_MAX).contains(&x) || !(geo::LAT_MIN..=geo::LAT_MAX).contains(&y)
    {
        return Err(Reply::error(format!(
            "ERR invalid longitude,latitude pair {},{}",
            fixed(x, 6),
            fixed(y, 6)
        )));
    }
    Ok([x, y])
}

/// `extractUnitOrReply`: metres per unit.
fn unit(arg: &[u8]) -> Result<f64, Reply> {
    match () {
        _ if is(arg, "m") => Ok(1.0),
        _ if is(arg, "km") => Ok(1000.0),
        _ if is(arg, "ft") => Ok(0.3048),
        _ if is(arg, "mi") => Ok(1609.34),
        _ => Err(Reply::error(
            "ERR unsupported unit provided. please use M, KM, FT, MI",
        )),
    }
}

/// `extractDistanceOrReply`: a radius and its unit.
fn radius(args: &[Vec<u8>]) -> Result<(f64, f64), Reply> {
    let r = double(&args[0], Some("need numeric radius"))?;
    if r < 0.0 {
        return Err(Reply::error("ERR radius cannot be negative"));
    }
    Ok((r, unit(&args[1])?))
}

/// `extractBoxOrReply`: width, height and their unit.
fn box_size(args: &[Vec<u8>]) -> Result<(f64, f64, f64), Reply> {
    let w = double(&args[0], Some("need numeric width"))?;
    let h = double(&args[1], Some("need numeric height"))?;
    if h < 0.0 || w < 0.0 {
        return Err(Reply::error("ERR height or width cannot be negative"));
    }
    Ok((w, h, unit(&args[2])?))
}

/// `longLatFromMember`: a member's decoded position.
fn member_xy(z: &ZSet, member: &[u8]) -> Option<[f64; 2]> {
    geo::decode_score(z.score(member)?)
}

fn not_decodable() -> Reply {
    Reply::error("ERR could not decode requested zset member")
}

/// GEOADD key [NX|XX] [CH] longitude latitude member [...]: ZADD with the
/// points' geohashes as scores (Redis rewrites the command into a ZADD).
fn geoadd(e: &mut Engine, call: &mut Call) -> Reply {
    let (mut nx, mut xx) = (false, false);
    let mut longidx = 2;
    while longidx < call.argv.len() {
        let opt = call.arg(longidx);
        if is(opt, "nx") {
            nx = true;
        } else if is(opt, "xx") {
            xx = true;
        } else if !is(opt, "ch") {
            break;
        }
        longidx += 1;
    }
    if !(call.argv.len() - longidx).is_multiple_of(3) || (xx && nx) {
        return errors::syntax();
    }
    let mut argv = Vec::with_capacity(longidx + (call.argv.len() - longidx) / 3 * 2);
    argv.push(b"zadd".to_vec());
    argv.extend(call.argv[1..longidx].iter().cloned());
    for point in call.argv[longidx..].chunks(3) {
        let xy = match long_lat(point) {
            Ok(xy) => xy,
            Err(err) => return err,
        };
        let bits = geo::score_of(xy[0], xy[1]).unwrap_or(0);
        argv.push(num::i64_bytes(bits as i64));
        argv.push(point[2].clone());
    }
    let mut zadd = Call::new(call.client, argv);
    zsets::zadd(e, &mut zadd)
}

/// GEOPOS key member [...]: `[longitude, latitude]` or a nil array each.
fn geopos(e: &mut Engine, call: &mut Call) -> Reply {
    let mut ks = e.keyspace(call.client);
    let z = match ks.get_as(call.arg(1), Value::as_zset) {
        Ok(z) => z,
        Err(err) => return err,
    };
    Reply::Array(
        call.argv[2..]
            .iter()
            .map(|m| match z.and_then(|z| member_xy(z, m)) {
                Some([x, y]) => Reply::Array(vec![human(x), human(y)]),
                None => Reply::NilArray,
            })
            .collect(),
    )
}

/// GEOHASH key member [...]: 11-character standard geohashes or nil.
fn geohash(e: &mut Engine, call: &mut Call) -> Reply {
    let mut ks = e.keyspace(call.client);
    let z = match ks.get_as(call.arg(1), Value::as_zset) {
        Ok(z) => z,
        Err(err) => return err,
    };
    Reply::Array(
        call.argv[2..]
            .iter()
            .map(|m| {
                z.and_then(|z| member_xy(z, m))
                    .and_then(geo::geohash_string)
                    .map_or(Reply::Nil, |s| Reply::Bulk(s.to_vec()))
            })
            .collect(),
    )
}

/// GEODIST key member1 member2 [M|KM|FT|MI]: the distance or nil.
fn geodist(e: &mut Engine, call: &mut Call) -> Reply {
    let mut to_meter = 1.0;
    if call.argv.len() == 5 {
        match unit(call.arg(4)) {
            Ok(u) => to_meter = u,
            Err(err) => return err,
        }
    } else if call.argv.len() > 5 {
        return errors::syntax();
    }
    let mut ks = e.keyspace(call.client);
    let z = match ks.get_as(call.arg(1), Value::as_zset) {
        Ok(Some(z)) => z,
        Ok(None) => return Reply::Nil,
        Err(err) => return err,
    };
    match (member_xy(z, call.arg(2)), member_xy(z, call.arg(3))) {
        (Some(a), Some(b)) => distance_reply(geo::distance(a[0], a[1], b[0], b[1]) / to_meter),
        _ => Reply::Nil,
    }
}

/// Which command of the search family runs (Redis's `RADIUS_*` and
/// `GEOSEARCH*` flags).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// GEORADIUS: centre and radius as arguments.
    Coords { store: bool },
    /// GEORADIUSBYMEMBER: a member's position as centre.
    Member { store: bool },
    /// GEOSEARCH.
    Search,
    /// GEOSEARCHSTORE.
    SearchStore,
}

impl Kind {
    fn is_search(self) -> bool {
        matches!(self, Kind::Search | Kind::SearchStore)
    }

    /// STORE and STOREDIST with a key (the GEORADIUS forms, not `_RO`).
    fn radius_store(self) -> bool {
        matches!(
            self,
            Kind::Coords { store: true } | Kind::Member { store: true }
        )
    }
}

fn georadius(e: &mut Engine, call: &mut Call) -> Reply {
    search(e, call, 1, Kind::Coords { store: true })
}

fn georadius_ro(e: &mut Engine, call: &mut Call) -> Reply {
    search(e, call, 1, Kind::Coords { store: false })
}

fn georadiusbymember(e: &mut Engine, call: &mut Call) -> Reply {
    search(e, call, 1, Kind::Member { store: true })
}

fn georadiusbymember_ro(e: &mut Engine, call: &mut Call) -> Reply {
    search(e, call, 1, Kind::Member { store: false })
}

fn geosearch(e: &mut Engine, call: &mut Call) -> Reply {
    search(e, call, 1, Kind::Search)
}

fn geosearchstore(e: &mut Engine, call: &mut Call) -> Reply {
    search(e, call, 2, Kind::SearchStore)
}

/// A point found by a search (`geoPoint`).
struct Point {
    longitude: f64,
    latitude: f64,
    dist: f64,
    score: f64,
    member: Arc<[u8]>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Sort {
    None,
    Asc,
    Desc,
}

/// The options after the fixed arguments.
struct Options {
    with_dist: bool,
    with_hash: bool,
    with_coord: bool,
    sort: Sort,
    any: bool,
    /// 0: unlimited.
    count: u64,
    store: Option<Vec<u8>>,
    store_dist: bool,
    from_set: bool,
    by_set: bool,
}

/// Redis's `georadiusGeneric`: arguments checked in Redis's order (the
/// key's type first, then the centre, the options, their combinations),
/// then the nine cells searched, sorted, answered or stored.
fn search(e: &mut Engine, call: &mut Call, src: usize, kind: Kind) -> Reply {
    let found = {
        let mut ks = e.keyspace(call.client);
        let z = match ks.get_as(call.arg(src), Value::as_zset) {
            Ok(z) => z,
            Err(err) => return err,
        };
        match search_in(z, call, kind) {
            Ok(found) => found,
            Err(err) => return err,
        }
    };
    let Found {
        points,
        options: o,
        conversion,
    } = found;
    let Some(points) = points else {
        // The source key does not exist.
        return match &o.store {
            Some(dst) => {
                e.keyspace(call.client).delete(dst);
                Reply::Integer(0)
            }
            None => Reply::Array(Vec::new()),
        };
    };
    let returned = if o.count == 0 {
        points.len()
    } else {
        points
            .len()
            .min(usize::try_from(o.count).unwrap_or(usize::MAX))
    };
    let Some(dst) = o.store else {
        let extras =
            usize::from(o.with_dist) + usize::from(o.with_hash) + usize::from(o.with_coord);
        let items = points
            .into_iter()
            .take(returned)
            .map(|p| {
                let dist = p.dist / conversion;
                let member = Reply::Bulk(p.member.to_vec());
                if extras == 0 {
                    return member;
                }
                let mut item = vec![member];
                if o.with_dist {
                    item.push(distance_reply(dist));
                }
                if o.with_hash {
                    item.push(Reply::Integer(geo::c_i64(p.score)));
                }
                if o.with_coord {
                    item.push(Reply::Array(vec![human(p.longitude), human(p.latitude)]));
                }
                Reply::Array(item)
            })
            .collect();
        return Reply::Array(items);
    };
    let mut ks = e.keyspace(call.client);
    if returned == 0 {
        ks.delete(&dst);
        return Reply::Integer(0);
    }
    let mut z = ZSet::new_skiplist();
    for p in points.iter().take(returned) {
        let score = if o.store_dist {
            p.dist / conversion
        } else {
            p.score
        };
        z.insert(&p.member, score);
    }
    z.shrink_if_fits(ks.zset_limits());
    let event = if kind.is_search() {
        "geosearchstore"
    } else {
        "georadiusstore"
    };
    ks.set(&dst, Value::ZSet(z), event);
    Reply::Integer(returned as i64)
}

/// What a search found: `None` points when the source key is missing;
/// otherwise the matches, sorted as asked (the first `count` of them at
/// least), distances still in metres.
struct Found {
    points: Option<Vec<Point>>,
    options: Options,
    conversion: f64,
}

fn search_in(z: Option<&ZSet>, call: &Call, kind: Kind) -> Result<Found, Reply> {
    let argv = &call.argv;
    let mut xy = [0.0, 0.0];
    let mut shape_kind = ShapeKind::Radius(0.0);
    let mut conversion = 1.0;
    let base = match kind {
        Kind::Coords { .. } => {
            xy = long_lat(&argv[2..4])?;
            let (r, c) = radius(&argv[4..6])?;
            shape_kind = ShapeKind::Radius(r);
            conversion = c;
            6
        }
        // Without a key the arguments are still parsed, to know which
        // reply to give.
        Kind::Member { .. } if z.is_none() => 5,
        Kind::Member { .. } => {
            xy = z
                .and_then(|z| member_xy(z, &argv[2]))
                .ok_or_else(not_decodable)?;
            let (r, c) = radius(&argv[3..5])?;
            shape_kind = ShapeKind::Radius(r);
            conversion = c;
            5
        }
        Kind::Search => 2,
        Kind::SearchStore => 3,
    };
    let mut o = Options {
        with_dist: false,
        with_hash: false,
        with_coord: false,
        sort: Sort::None,
        any: false,
        count: 0,
        store: (kind == Kind::SearchStore).then(|| argv[1].clone()),
        store_dist: false,
        from_set: false,
        by_set: false,
    };
    let (mut from_member, mut from_loc, mut by_radius, mut by_box) = (false, false, false, false);
    let remaining = argv.len().saturating_sub(base);
    let mut i = 0;
    while i < remaining {
        let arg = &argv[base + i];
        let next = |k: usize| &argv[base + i + k];
        if is(arg, "withdist") {
            o.with_dist = true;
        } else if is(arg, "withhash") {
            o.with_hash = true;
        } else if is(arg, "withcoord") {
            o.with_coord = true;
        } else if is(arg, "any") {
            o.any = true;
        } else if is(arg, "asc") {
            o.sort = Sort::Asc;
        } else if is(arg, "desc") {
            o.sort = Sort::Desc;
        } else if is(arg, "count") && i + 1 < remaining {
            let n = num::parse_i64(next(1)).ok_or_else(errors::not_integer)?;
            if n <= 0 {
                return Err(Reply::error("ERR COUNT must be > 0"));
            }
            o.count = n as u64;
            i += 1;
        } else if (is(arg, "store") || is(arg, "storedist"))
            && i + 1 < remaining
            && kind.radius_store()
        {
            o.store = Some(next(1).clone());
            o.store_dist = is(arg, "storedist");
            i += 1;
        } else if is(arg, "storedist") && kind == Kind::SearchStore {
            o.store_dist = true;
        } else if is(arg, "frommember") && i + 1 < remaining && kind.is_search() && !from_loc {
            if let Some(z) = z {
                xy = member_xy(z, next(1)).ok_or_else(not_decodable)?;
            }
            from_member = true;
            i += 1;
        } else if is(arg, "fromlonlat") && i + 2 < remaining && kind.is_search() && !from_member {
            xy = long_lat(&argv[base + i + 1..base + i + 3])?;
            from_loc = true;
            i += 2;
        } else if is(arg, "byradius") && i + 2 < remaining && kind.is_search() && !by_box {
            let (r, c) = radius(&argv[base + i + 1..base + i + 3])?;
            shape_kind = ShapeKind::Radius(r);
            conversion = c;
            by_radius = true;
            i += 2;
        } else if is(arg, "bybox") && i + 3 < remaining && kind.is_search() && !by_radius {
            let (w, h, c) = box_size(&argv[base + i + 1..base + i + 4])?;
            shape_kind = ShapeKind::Box {
                width: w,
                height: h,
            };
            conversion = c;
            by_box = true;
            i += 3;
        } else {
            return Err(errors::syntax());
        }
        i += 1;
    }
    o.from_set = from_member || from_loc;
    o.by_set = by_radius || by_box;
    if o.store.is_some() && (o.with_dist || o.with_hash || o.with_coord) {
        let what = if kind == Kind::SearchStore {
            "GEOSEARCHSTORE"
        } else {
            "STORE option in GEORADIUS"
        };
        return Err(Reply::error(format!(
            "ERR {what} is not compatible with WITHDIST, WITHHASH and WITHCOORD options"
        )));
    }
    let name = String::from_utf8_lossy(&argv[0]);
    if kind.is_search() && !o.from_set {
        return Err(Reply::error(format!(
            "ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for {name}"
        )));
    }
    if kind.is_search() && !o.by_set {
        return Err(Reply::error(format!(
            "ERR exactly one of BYRADIUS and BYBOX can be specified for {name}"
        )));
    }
    if o.any && o.count == 0 {
        return Err(Reply::error("ERR the ANY argument requires COUNT argument"));
    }
    let Some(z) = z else {
        return Ok(Found {
            points: None,
            options: o,
            conversion,
        });
    };
    if o.count != 0 && o.sort == Sort::None && !o.any {
        o.sort = Sort::Asc;
    }
    let shape = Shape {
        xy,
        conversion,
        kind: shape_kind,
    };
    let limit = if o.any { o.count } else { 0 };
    let mut points = members_of_all_neighbors(z, &shape, limit);
    let returned = if o.count == 0 {
        points.len()
    } else {
        points
            .len()
            .min(usize::try_from(o.count).unwrap_or(usize::MAX))
    };
    // Redis's comparator: by distance, equal distances equal.
    let asc = |a: &Point, b: &Point| {
        if a.dist > b.dist {
            std::cmp::Ordering::Greater
        } else if a.dist == b.dist {
            std::cmp::Ordering::Equal
        } else {
            std::cmp::Ordering::Less
        }
    };
    let desc = |a: &Point, b: &Point| asc(a, b).reverse();
    if o.sort != Sort::None && !points.is_empty() {
        // A full sort is glibc's `qsort` (a stable merge sort); a partial
        // one is Redis's `pqsort`, whose order of ties is its own.
        let full = returned == points.len();
        match (o.sort, full) {
            (Sort::Asc, true) => geo::stable_sort(&mut points, &asc),
            (_, true) => geo::stable_sort(&mut points, &desc),
            (Sort::Asc, false) => geo::pqsort(&mut points, &asc, 0, returned - 1),
            (_, false) => geo::pqsort(&mut points, &desc, 0, returned - 1),
        }
    }
    Ok(Found {
        points: Some(points),
        options: o,
        conversion,
    })
}

/// `membersOfAllNeighbors`: the points in the centre cell and its
/// neighbours (each distinct cell once, in Redis's order) that lie in the
/// shape, stopping at `limit` (0: no limit) for ANY.
fn members_of_all_neighbors(z: &ZSet, shape: &Shape, limit: u64) -> Vec<Point> {
    let cells = geo::areas_by_shape(shape).in_order();
    let limit = usize::try_from(limit).unwrap_or(usize::MAX);
    let full = |found: &Vec<Point>| !found.is_empty() && limit != 0 && found.len() >= limit;
    let mut found = Vec::new();
    let mut last: Option<usize> = None;
    for (i, cell) in cells.iter().enumerate() {
        if cell.is_zero() {
            continue;
        }
        // A huge radius makes adjacent neighbours the same cell.
        if last.is_some_and(|l| l != 0 && cells[l] == *cell) {
            continue;
        }
        if full(&found) {
            break;
        }
        let (min, max) = cell.score_range();
        let (min, max) = (min as f64, max as f64);
        let start = z.partition(|en| en.score < min);
        for en in z.iter_from(start) {
            if en.score >= max {
                break;
            }
            if let Some([x, y]) = geo::decode_score(en.score) {
                if let Some(dist) = shape.contains(x, y) {
                    found.push(Point {
                        longitude: x,
                        latitude: y,
                        dist,
                        score: en.score,
                        member: en.member.clone(),
                    });
                }
            }
            if full(&found) {
                break;
            }
        }
        last = Some(i);
    }
    found
}

#[cfg(test)]
#[path = "geo_tests.rs"]
mod tests;
