//! Geohashes as Redis 7.0 computes them (`geohash.c`, `geohash_helper.c`):
//! a point is a 52-bit interleaved hash (26 bits of longitude, 26 of
//! latitude) stored as a sorted-set score; a search covers its area with
//! a cell and its eight neighbours at a step chosen from the radius.
//!
//! Every formula is Redis's, operation for operation, so decoded
//! coordinates, distances and the cells a search visits are the same
//! doubles Redis computes (the trigonometry is the platform's `libm`, as
//! Redis's is). Nothing here knows commands or replies.

/// Redis's `GEO_STEP_MAX`: 26 bits per coordinate.
pub const STEP_MAX: u8 = 26;
pub const LONG_MIN: f64 = -180.0;
pub const LONG_MAX: f64 = 180.0;
/// Web Mercator's limits (EPSG:900913): no geocoding at the poles.
pub const LAT_MIN: f64 = -85.05112878;
pub const LAT_MAX: f64 = 85.05112878;

/// Redis's `EARTH_RADIUS_IN_METERS` (quadratic mean radius of WGS-84).
pub const EARTH_RADIUS_IN_METERS: f64 = 6372797.560856;
const MERCATOR_MAX: f64 = 20037726.37;
/// `D_R`: `M_PI / 180.0`.
const D_R: f64 = std::f64::consts::PI / 180.0;

fn deg_rad(ang: f64) -> f64 {
    ang * D_R
}

fn rad_deg(ang: f64) -> f64 {
    ang / D_R
}

/// A hash of `step` bits per coordinate (`GeoHashBits`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Hash {
    pub bits: u64,
    pub step: u8,
}

impl Hash {
    /// `HASHISZERO`: a neighbour cell a search left out.
    pub fn is_zero(&self) -> bool {
        self.bits == 0 && self.step == 0
    }

    /// `geohashAlign52Bits`: the hash as a 52-bit score prefix.
    pub fn align52(&self) -> u64 {
        self.bits << (52 - u32::from(self.step) * 2)
    }

    /// `scoresOfGeoHashBox`: the scores `[min, max)` of every point in the
    /// cell.
    pub fn score_range(&self) -> (u64, u64) {
        let next = Hash {
            bits: self.bits.wrapping_add(1),
            step: self.step,
        };
        (self.align52(), next.align52())
    }
}

/// A coordinate range (`GeoHashRange`).
#[derive(Clone, Copy, Debug, Default)]
pub struct Range {
    pub min: f64,
    pub max: f64,
}

/// A decoded cell (`GeoHashArea`).
#[derive(Clone, Copy, Debug, Default)]
pub struct Area {
    pub longitude: Range,
    pub latitude: Range,
}

const LONG_RANGE: Range = Range {
    min: LONG_MIN,
    max: LONG_MAX,
};
const LAT_RANGE: Range = Range {
    min: LAT_MIN,
    max: LAT_MAX,
};

/// `interleave64`: bits of `x` in the even positions, of `y` in the odd.
fn interleave64(xlo: u32, ylo: u32) -> u64 {
    const B: [u64; 5] = [
        0x5555555555555555,
        0x3333333333333333,
        0x0F0F0F0F0F0F0F0F,
        0x00FF00FF00FF00FF,
        0x0000FFFF0000FFFF,
    ];
    const S: [u32; 5] = [1, 2, 4, 8, 16];
    let mut x = u64::from(xlo);
    let mut y = u64::from(ylo);
    for i in (0..5).rev() {
        x = (x | (x << S[i])) & B[i];
        y = (y | (y << S[i])) & B[i];
    }
    x | (y << 1)
}

/// `deinterleave64`: the even bits in the low half, the odd in the high.
fn deinterleave64(interleaved: u64) -> u64 {
    const B: [u64; 6] = [
        0x5555555555555555,
        0x3333333333333333,
        0x0F0F0F0F0F0F0F0F,
        0x00FF00FF00FF00FF,
        0x0000FFFF0000FFFF,
        0x00000000FFFFFFFF,
    ];
    const S: [u32; 6] = [0, 1, 2, 4, 8, 16];
    let mut x = interleaved;
    let mut y = interleaved >> 1;
    for i in 0..6 {
        x = (x | (x >> S[i])) & B[i];
        y = (y | (y >> S[i])) & B[i];
    }
    x | (y << 32)
}

/// `geohashEncode`: `None` outside the ranges or Redis's limits.
pub fn encode(
    long_range: Range,
    lat_range: Range,
    longitude: f64,
    latitude: f64,
    step: u8,
) -> Option<Hash> {
    if step > 32 || step == 0 {
        return None;
    }
    if !(LONG_MIN..=LONG_MAX).contains(&longitude) || !(LAT_MIN..=LAT_MAX).contains(&latitude) {
        return None;
    }
    if latitude < lat_range.min
        || latitude > lat_range.max
        || longitude < long_range.min
        || longitude > long_range.max
    {
        return None;
    }
    let mut lat_offset = (latitude - lat_range.min) / (lat_range.max - lat_range.min);
    let mut long_offset = (longitude - long_range.min) / (long_range.max - long_range.min);
    let cells = (1u64 << step) as f64;
    lat_offset *= cells;
    long_offset *= cells;
    // C converts the doubles to `uint32_t` (truncating): at the top edge
    // the offset is 2^step, a bit past the hash, which Redis keeps.
    Some(Hash {
        bits: interleave64(lat_offset as u32, long_offset as u32),
        step,
    })
}

/// `geohashEncodeWGS84`.
pub fn encode_wgs84(longitude: f64, latitude: f64, step: u8) -> Option<Hash> {
    encode(LONG_RANGE, LAT_RANGE, longitude, latitude, step)
}

/// The score GEOADD stores for a point (already checked to be in range).
pub fn score_of(longitude: f64, latitude: f64) -> Option<u64> {
    encode_wgs84(longitude, latitude, STEP_MAX).map(|h| h.align52())
}

const TWO_63: f64 = 9_223_372_036_854_775_808.0;

/// C's `(long long)x` as x86-64 computes it (`cvttsd2si`): truncation,
/// and the "integer indefinite" `i64::MIN` for anything out of range.
pub fn c_i64(x: f64) -> i64 {
    if (-TWO_63..TWO_63).contains(&x) {
        x as i64
    } else {
        i64::MIN
    }
}

/// C's `(uint64_t)x` as gcc compiles it for x86-64: below 2^63 through
/// the signed conversion (so -1 becomes `u64::MAX`), above it offset by
/// 2^63; out of range, the indefinite value's bits. A sorted set may hold
/// any score (ZADD), and GEOPOS decodes whatever is there as Redis does.
pub fn c_u64(x: f64) -> u64 {
    if x < TWO_63 {
        c_i64(x) as u64
    } else {
        (c_i64(x - TWO_63) as u64) ^ (1 << 63)
    }
}

/// `geohashDecode`: the cell a hash stands for.
pub fn decode(long_range: Range, lat_range: Range, hash: Hash) -> Option<Area> {
    if hash.is_zero() {
        return None;
    }
    let step = hash.step;
    let sep = deinterleave64(hash.bits);
    let lat_scale = lat_range.max - lat_range.min;
    let long_scale = long_range.max - long_range.min;
    let ilato = sep as u32;
    let ilono = (sep >> 32) as u32;
    let cells = (1u64 << step) as f64;
    Some(Area {
        latitude: Range {
            min: lat_range.min + (f64::from(ilato) * 1.0 / cells) * lat_scale,
            max: lat_range.min + ((f64::from(ilato) + 1.0) * 1.0 / cells) * lat_scale,
        },
        longitude: Range {
            min: long_range.min + (f64::from(ilono) * 1.0 / cells) * long_scale,
            max: long_range.min + ((f64::from(ilono) + 1.0) * 1.0 / cells) * long_scale,
        },
    })
}

/// `decodeGeohash`: the centre of the cell a score stands for, clamped to
/// the limits, as `[longitude, latitude]`; `None` for a zero hash.
pub fn decode_score(score: f64) -> Option<[f64; 2]> {
    let hash = Hash {
        bits: c_u64(score),
        step: STEP_MAX,
    };
    let area = decode(LONG_RANGE, LAT_RANGE, hash)?;
    let x = ((area.longitude.min + area.longitude.max) / 2.0).clamp(LONG_MIN, LONG_MAX);
    let y = ((area.latitude.min + area.latitude.max) / 2.0).clamp(LAT_MIN, LAT_MAX);
    Some([x, y])
}

/// GEOHASH's 11 characters: the point re-encoded with the standard
/// latitude range (-90, 90), 5 bits a character, the last one `0`.
pub fn geohash_string(xy: [f64; 2]) -> Option<[u8; 11]> {
    const ALPHABET: &[u8; 32] = b"0123456789bcdefghjkmnpqrstuvwxyz";
    let lat = Range {
        min: -90.0,
        max: 90.0,
    };
    let hash = encode(LONG_RANGE, lat, xy[0], xy[1], 26)?;
    let mut out = [b'0'; 11];
    for (i, c) in out.iter_mut().enumerate().take(10) {
        let idx = (hash.bits >> (52 - (i + 1) * 5)) & 0x1f;
        *c = ALPHABET[idx as usize];
    }
    Some(out)
}

/// Moves a cell `d` steps (-1, 0, 1) along the axis whose interleaved
/// bits are `own` (`geohash_move_x`/`_y`: longitude bits are the odd
/// ones, `X`; latitude bits the even ones, `Y`).
fn move_along(hash: &mut Hash, d: i8, own: u64) {
    if d == 0 {
        return;
    }
    let mut mine = hash.bits & own;
    let theirs = hash.bits & !own;
    let shift = 64 - u32::from(hash.step) * 2;
    let zz = !own >> shift;
    if d > 0 {
        mine = mine.wrapping_add(zz + 1);
    } else {
        mine |= zz;
        mine = mine.wrapping_sub(zz + 1);
    }
    mine &= own >> shift;
    hash.bits = mine | theirs;
}

/// The interleaved bits of longitude and of latitude.
const X: u64 = 0xaaaaaaaaaaaaaaaa;
const Y: u64 = 0x5555555555555555;

/// The eight neighbours of a cell (`GeoHashNeighbors`).
#[derive(Clone, Copy, Debug, Default)]
pub struct Neighbors {
    pub north: Hash,
    pub east: Hash,
    pub west: Hash,
    pub south: Hash,
    pub north_east: Hash,
    pub south_east: Hash,
    pub north_west: Hash,
    pub south_west: Hash,
}

/// `geohashNeighbors`.
fn neighbors(hash: Hash) -> Neighbors {
    let moved = |dx: i8, dy: i8| {
        let mut h = hash;
        move_along(&mut h, dx, X);
        move_along(&mut h, dy, Y);
        h
    };
    Neighbors {
        east: moved(1, 0),
        west: moved(-1, 0),
        south: moved(0, -1),
        north: moved(0, 1),
        north_west: moved(-1, 1),
        north_east: moved(1, 1),
        south_east: moved(1, -1),
        south_west: moved(-1, -1),
    }
}

/// `geohashEstimateStepsByRadius`: the step whose cells are about the
/// radius, one or two coarser towards the poles.
pub fn estimate_steps_by_radius(range_meters: f64, lat: f64) -> u8 {
    if range_meters == 0.0 {
        return 26;
    }
    let mut range = range_meters;
    let mut step: i32 = 1;
    while range < MERCATOR_MAX {
        range *= 2.0;
        step += 1;
    }
    step -= 2;
    if !(-66.0..=66.0).contains(&lat) {
        step -= 1;
        if !(-80.0..=80.0).contains(&lat) {
            step -= 1;
        }
    }
    step.clamp(1, 26) as u8
}

/// What a search covers (`GeoShape`): a circle or an axis-aligned box
/// around `xy`, in the request's unit (`conversion` metres each).
#[derive(Clone, Copy, Debug)]
pub struct Shape {
    pub xy: [f64; 2],
    pub conversion: f64,
    pub kind: ShapeKind,
}

#[derive(Clone, Copy, Debug)]
pub enum ShapeKind {
    Radius(f64),
    Box { width: f64, height: f64 },
}

impl Shape {
    /// `geohashBoundingBox`: `[min_lon, min_lat, max_lon, max_lat]`, the
    /// longitudes taken at the edge farther from the equator.
    pub fn bounding_box(&self) -> [f64; 4] {
        let [longitude, latitude] = self.xy;
        let (height, width) = match self.kind {
            ShapeKind::Radius(r) => (self.conversion * r, self.conversion * r),
            ShapeKind::Box { width, height } => (
                self.conversion * (height / 2.0),
                self.conversion * (width / 2.0),
            ),
        };
        let lat_delta = rad_deg(height / EARTH_RADIUS_IN_METERS);
        let long_delta_top =
            rad_deg(width / EARTH_RADIUS_IN_METERS / deg_rad(latitude + lat_delta).cos());
        let long_delta_bottom =
            rad_deg(width / EARTH_RADIUS_IN_METERS / deg_rad(latitude - lat_delta).cos());
        let southern = latitude < 0.0;
        let long_delta = if southern {
            long_delta_bottom
        } else {
            long_delta_top
        };
        [
            longitude - long_delta,
            latitude - lat_delta,
            longitude + long_delta,
            latitude + lat_delta,
        ]
    }

    /// The distance from the centre if the point `(x, y)` is inside
    /// (`geohashGetDistanceIfInRadiusWGS84`, `...IfInRectangle`).
    pub fn contains(&self, x: f64, y: f64) -> Option<f64> {
        let [cx, cy] = self.xy;
        match self.kind {
            ShapeKind::Radius(r) => {
                let d = distance(cx, cy, x, y);
                (d <= r * self.conversion).then_some(d)
            }
            ShapeKind::Box { width, height } => {
                let (w, h) = (width * self.conversion, height * self.conversion);
                let lon_distance = distance(x, y, cx, y);
                let lat_distance = distance(x, y, x, cy);
                if lon_distance > w / 2.0 || lat_distance > h / 2.0 {
                    return None;
                }
                Some(distance(cx, cy, x, y))
            }
        }
    }
}

/// The cells a search visits (`GeoHashRadius`): the centre's and its
/// neighbours, those that cannot hold a match zeroed.
#[derive(Clone, Copy, Debug)]
pub struct Cells {
    pub hash: Hash,
    pub neighbors: Neighbors,
}

impl Cells {
    /// In Redis's order: centre, N, S, E, W, NE, NW, SE, SW.
    pub fn in_order(&self) -> [Hash; 9] {
        let n = &self.neighbors;
        [
            self.hash,
            n.north,
            n.south,
            n.east,
            n.west,
            n.north_east,
            n.north_west,
            n.south_east,
            n.south_west,
        ]
    }
}

/// `geohashCalculateAreasByShapeWGS84`.
pub fn areas_by_shape(shape: &Shape) -> Cells {
    let [min_lon, min_lat, max_lon, max_lat] = shape.bounding_box();
    let [longitude, latitude] = shape.xy;
    let radius_meters = match shape.kind {
        ShapeKind::Radius(r) => r,
        ShapeKind::Box { width, height } => {
            ((width / 2.0) * (width / 2.0) + (height / 2.0) * (height / 2.0)).sqrt()
        }
    } * shape.conversion;
    let mut steps = estimate_steps_by_radius(radius_meters, latitude);
    // The centre is within Redis's limits (checked when parsed, or decoded
    // from a score), so encoding succeeds; a zero hash is Redis's result
    // if it did not.
    let cell = |steps: u8| {
        let hash = encode(LONG_RANGE, LAT_RANGE, longitude, latitude, steps).unwrap_or(Hash {
            bits: 0,
            step: steps,
        });
        let area = decode(LONG_RANGE, LAT_RANGE, hash).unwrap_or_default();
        (hash, neighbors(hash), area)
    };
    let (mut hash, mut nb, mut area) = cell(steps);
    let decoded = |h: Hash| decode(LONG_RANGE, LAT_RANGE, h).unwrap_or_default();
    let decrease_step = decoded(nb.north).latitude.max < max_lat
        || decoded(nb.south).latitude.min > min_lat
        || decoded(nb.east).longitude.max < max_lon
        || decoded(nb.west).longitude.min > min_lon;
    if steps > 1 && decrease_step {
        steps -= 1;
        (hash, nb, area) = cell(steps);
    }
    if steps >= 2 {
        let zero = Hash::default();
        if area.latitude.min < min_lat {
            nb.south = zero;
            nb.south_west = zero;
            nb.south_east = zero;
        }
        if area.latitude.max > max_lat {
            nb.north = zero;
            nb.north_east = zero;
            nb.north_west = zero;
        }
        if area.longitude.min < min_lon {
            nb.west = zero;
            nb.south_west = zero;
            nb.north_west = zero;
        }
        if area.longitude.max > max_lon {
            nb.east = zero;
            nb.south_east = zero;
            nb.north_east = zero;
        }
    }
    Cells {
        hash,
        neighbors: nb,
    }
}

/// `geohashGetDistance`: the haversine great-circle distance in metres.
pub fn distance(lon1d: f64, lat1d: f64, lon2d: f64, lat2d: f64) -> f64 {
    let lat1r = deg_rad(lat1d);
    let lon1r = deg_rad(lon1d);
    let lat2r = deg_rad(lat2d);
    let lon2r = deg_rad(lon2d);
    let u = ((lat2r - lat1r) / 2.0).sin();
    let v = ((lon2r - lon1r) / 2.0).sin();
    2.0 * EARTH_RADIUS_IN_METERS * (u * u + lat1r.cos() * lat2r.cos() * v * v).sqrt().asin()
}

/// A comparison, as a trait object: one copy of each sort in the wasm.
pub type Cmp<'a, T> = &'a dyn Fn(&T, &T) -> std::cmp::Ordering;

/// A stable sort, as glibc's `qsort` is (a merge sort): a small one by
/// hand, since the standard library's costs kilobytes of wasm per type.
pub fn stable_sort<T>(v: &mut Vec<T>, cmp: Cmp<T>) {
    let n = v.len();
    let mut order: Vec<usize> = (0..n).collect();
    let mut buf = vec![0; n];
    let mut width = 1;
    while width < n {
        let mut start = 0;
        while start < n {
            let mid = (start + width).min(n);
            let end = (start + 2 * width).min(n);
            let (mut i, mut j) = (start, mid);
            for slot in &mut buf[start..end] {
                // The left run wins ties: stable.
                let take_left = j >= end
                    || (i < mid && cmp(&v[order[j]], &v[order[i]]) != std::cmp::Ordering::Less);
                if take_left {
                    *slot = order[i];
                    i += 1;
                } else {
                    *slot = order[j];
                    j += 1;
                }
            }
            start = end;
        }
        std::mem::swap(&mut order, &mut buf);
        width *= 2;
    }
    let mut items: Vec<Option<T>> = v.drain(..).map(Some).collect();
    v.extend(order.into_iter().filter_map(|i| items[i].take()));
}

/// Redis 7.0's `pqsort` (NetBSD's qsort, Bentley & McIlroy, without the
/// switch to insertion sort, limited to the partitions that overlap
/// `[lrange, rrange]`): after it, positions
/// `lrange..=rrange` hold what a full sort would put there, in an order
/// among equal elements that only this algorithm gives.
pub fn pqsort<T>(a: &mut [T], cmp: Cmp<T>, lrange: usize, rrange: usize) {
    pqsort_in(a, 0, a.len(), cmp, lrange, rrange);
}

fn med3<T>(a: &[T], i: usize, j: usize, k: usize, cmp: Cmp<T>) -> usize {
    use std::cmp::Ordering::{Greater, Less};
    if cmp(&a[i], &a[j]) == Less {
        if cmp(&a[j], &a[k]) == Less {
            j
        } else if cmp(&a[i], &a[k]) == Less {
            k
        } else {
            i
        }
    } else if cmp(&a[j], &a[k]) == Greater {
        j
    } else if cmp(&a[i], &a[k]) == Less {
        i
    } else {
        k
    }
}

fn insertion<T>(a: &mut [T], base: usize, n: usize, cmp: Cmp<T>) {
    for pm in base + 1..base + n {
        let mut pl = pm;
        while pl > base && cmp(&a[pl - 1], &a[pl]) == std::cmp::Ordering::Greater {
            a.swap(pl, pl - 1);
            pl -= 1;
        }
    }
}

fn vecswap<T>(a: &mut [T], i: usize, j: usize, n: usize) {
    for k in 0..n {
        a.swap(i + k, j + k);
    }
}

/// `_pqsort` over `a[base..base + n]`, in element indices.
fn pqsort_in<T>(
    a: &mut [T],
    mut base: usize,
    mut n: usize,
    cmp: Cmp<T>,
    lrange: usize,
    rrange: usize,
) {
    use std::cmp::Ordering::{Equal, Greater, Less};
    // A partition `[s, s + len)` is sorted further only if it overlaps
    // the wanted range.
    let wanted = |s: usize, len: usize| {
        !((lrange < s && rrange < s) || (lrange >= s + len && rrange >= s + len))
    };
    loop {
        if n < 7 {
            insertion(a, base, n, cmp);
            return;
        }
        let mut pm = base + n / 2;
        if n > 7 {
            let mut pl = base;
            let mut pn = base + n - 1;
            if n > 40 {
                let d = n / 8;
                pl = med3(a, pl, pl + d, pl + 2 * d, cmp);
                pm = med3(a, pm - d, pm, pm + d, cmp);
                pn = med3(a, pn - 2 * d, pn - d, pn, cmp);
            }
            pm = med3(a, pl, pm, pn, cmp);
        }
        a.swap(base, pm);
        let (mut pa, mut pb) = (base + 1, base + 1);
        // `pc` and `pd` may pass below `pb`: kept one up to stay unsigned.
        let (mut pc1, mut pd1) = (base + n, base + n);
        loop {
            while pb < pc1 {
                let c = cmp(&a[pb], &a[base]);
                if c == Greater {
                    break;
                }
                if c == Equal {
                    a.swap(pa, pb);
                    pa += 1;
                }
                pb += 1;
            }
            while pb < pc1 {
                let c = cmp(&a[pc1 - 1], &a[base]);
                if c == Less {
                    break;
                }
                if c == Equal {
                    a.swap(pc1 - 1, pd1 - 1);
                    pd1 -= 1;
                }
                pc1 -= 1;
            }
            if pb >= pc1 {
                break;
            }
            a.swap(pb, pc1 - 1);
            pb += 1;
            pc1 -= 1;
        }
        let pn = base + n;
        let r = (pa - base).min(pb - pa);
        vecswap(a, base, pb - r, r);
        // pd - pc and pn - pd - 1, in the C pointers' terms.
        let r = (pd1 - pc1).min(pn - pd1);
        vecswap(a, pb, pn - r, r);
        let r = pb - pa;
        if r > 1 && wanted(base, r) {
            pqsort_in(a, base, r, cmp, lrange, rrange);
        }
        let r = pd1 - pc1;
        if r > 1 {
            base = pn - r;
            n = r;
            if wanted(base, n) {
                continue;
            }
        }
        return;
    }
}

#[cfg(test)]
#[path = "geo_tests.rs"]
mod tests;
