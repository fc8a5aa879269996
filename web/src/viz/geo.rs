//! Geo sets as the stage plots them: Redis's 52-bit geohash scores decoded
//! to longitude/latitude (`geohash.c`: latitude in the even bits,
//! longitude in the odd ones, 26 steps each), the area of a GEOSEARCH or
//! GEORADIUS read from its arguments, distances as GEODIST computes them,
//! and a flat projection onto the plot. Numbers are printed with integer
//! arithmetic (float formatting costs the wasm kilobytes).

use engine::commands::num::parse_f64;
use engine::Engine;

const LAT_MAX: f64 = 85.051_128_78;
const LON_MAX: f64 = 180.0;
const STEPS: u32 = 26;
/// Redis's `EARTH_RADIUS_IN_METERS`.
const EARTH_RADIUS: f64 = 6_372_797.560_856;

/// A member of a geo set, where its score puts it.
#[derive(Clone, Debug, PartialEq)]
pub struct Point {
    pub member: String,
    pub lon: f64,
    pub lat: f64,
}

impl Point {
    /// The point a geohash score stands for (the centre of its cell, as
    /// GEOPOS answers); `None` for a score that is not a 52-bit geohash.
    pub fn decode(member: String, score: f64) -> Option<Point> {
        if !is_geohash(score) {
            return None;
        }
        let bits = score as u64;
        let (mut ilat, mut ilon) = (0u64, 0u64);
        for i in 0..STEPS {
            ilat |= (bits >> (2 * i) & 1) << i;
            ilon |= (bits >> (2 * i + 1) & 1) << i;
        }
        let cells = (1u64 << STEPS) as f64;
        let centre = |i: u64, max: f64| {
            let lo = -max + i as f64 / cells * 2.0 * max;
            let hi = -max + (i + 1) as f64 / cells * 2.0 * max;
            (lo + hi) / 2.0
        };
        Some(Point {
            member,
            lon: centre(ilon, LON_MAX).clamp(-LON_MAX, LON_MAX),
            lat: centre(ilat, LAT_MAX).clamp(-LAT_MAX, LAT_MAX),
        })
    }
}

fn is_geohash(score: f64) -> bool {
    score >= 0.0 && score < (1u64 << 52) as f64 && score.fract() == 0.0
}

/// Whether a score passes for a geohash of a real place: a 52-bit integer
/// that is not small (a leaderboard's 120 points is not a place near
/// 180°W 85°S). Used when no GEOADD was seen writing the key.
pub fn looks_like_geohash(score: f64) -> bool {
    is_geohash(score) && score >= (1u64 << 40) as f64
}

/// Where a search looked: its centre and its radius or box, in metres.
#[derive(Clone, Debug, PartialEq)]
pub struct GeoSearch {
    pub lon: f64,
    pub lat: f64,
    pub shape: Shape,
    /// As typed, e.g. `BYRADIUS 5 km`.
    pub label: String,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Shape {
    Radius(f64),
    Box { width: f64, height: f64 },
}

impl GeoSearch {
    /// The area of a GEOSEARCH, GEOSEARCHSTORE, GEORADIUS or
    /// GEORADIUSBYMEMBER (and their `_RO` forms) on `key`; `None` for any
    /// other command or key, or arguments that do not parse (the command
    /// then failed, and nothing is drawn).
    pub fn parse(argv: &[Vec<u8>], key: &[u8], engine: &Engine, db: usize) -> Option<GeoSearch> {
        let name = String::from_utf8_lossy(argv.first()?).to_ascii_uppercase();
        let word = |i: usize| -> Option<String> {
            argv.get(i)
                .map(|a| String::from_utf8_lossy(a).to_ascii_uppercase())
        };
        let num = |i: usize| argv.get(i).and_then(|a| parse_f64(a));
        let member_at = |i: usize| -> Option<(f64, f64)> {
            let score = engine.score_of(db, key, argv.get(i)?)?;
            let p = Point::decode(String::new(), score)?;
            Some((p.lon, p.lat))
        };
        let text = |from: usize, to: usize| -> String {
            argv[from..to.min(argv.len())]
                .iter()
                .map(|a| String::from_utf8_lossy(a).into_owned())
                .collect::<Vec<_>>()
                .join(" ")
        };
        match name.as_str() {
            "GEORADIUS" | "GEORADIUS_RO" | "GEORADIUSBYMEMBER" | "GEORADIUSBYMEMBER_RO" => {
                if argv.get(1)?.as_slice() != key {
                    return None;
                }
                let by_member = name.starts_with("GEORADIUSBYMEMBER");
                let (centre, r_at) = if by_member {
                    (member_at(2)?, 3)
                } else {
                    ((num(2)?, num(3)?), 4)
                };
                let radius = num(r_at)? * unit(&word(r_at + 1)?)?;
                Some(GeoSearch {
                    lon: centre.0,
                    lat: centre.1,
                    shape: Shape::Radius(radius),
                    label: format!("{} {}", name, text(r_at, r_at + 2)),
                })
            }
            "GEOSEARCH" | "GEOSEARCHSTORE" => {
                let src = if name == "GEOSEARCH" { 1 } else { 2 };
                if argv.get(src)?.as_slice() != key {
                    return None;
                }
                let mut centre = None;
                let mut shape = None;
                let mut label = String::new();
                let mut i = src + 1;
                while i < argv.len() {
                    match word(i)?.as_str() {
                        "FROMMEMBER" => {
                            centre = Some(member_at(i + 1)?);
                            i += 2;
                        }
                        "FROMLONLAT" => {
                            centre = Some((num(i + 1)?, num(i + 2)?));
                            i += 3;
                        }
                        "BYRADIUS" => {
                            shape = Some(Shape::Radius(num(i + 1)? * unit(&word(i + 2)?)?));
                            label = text(i, i + 3);
                            i += 3;
                        }
                        "BYBOX" => {
                            let u = unit(&word(i + 3)?)?;
                            shape = Some(Shape::Box {
                                width: num(i + 1)? * u,
                                height: num(i + 2)? * u,
                            });
                            label = text(i, i + 4);
                            i += 4;
                        }
                        _ => i += 1,
                    }
                }
                let (lon, lat) = centre?;
                Some(GeoSearch {
                    lon,
                    lat,
                    shape: shape?,
                    label,
                })
            }
            _ => None,
        }
    }
}

/// Metres in one of GEO's units.
fn unit(word: &str) -> Option<f64> {
    match word {
        "M" => Some(1.0),
        "KM" => Some(1000.0),
        "MI" => Some(1609.34),
        "FT" => Some(0.3048),
        _ => None,
    }
}

/// GEODIST's great-circle distance in metres (Redis's haversine).
pub fn distance(lon1: f64, lat1: f64, lon2: f64, lat2: f64) -> f64 {
    let (lat1r, lat2r) = (lat1.to_radians(), lat2.to_radians());
    let u = sin((lat2r - lat1r) / 2.0);
    let v = sin((lon2 - lon1).to_radians() / 2.0);
    2.0 * EARTH_RADIUS * (u * u + cos(lat1r) * cos(lat2r) * v * v).sqrt().asin()
}

/// sin and cos without libm's large-argument reduction (8 KB of wasm):
/// reduced to a quarter turn around a multiple of pi/2, then Taylor
/// series to the 13th/14th power (error below 1e-11 on [-pi/4, pi/4]).
/// Arguments here are angles on Earth, a few radians at most.
fn sin_cos(x: f64) -> (f64, f64) {
    use std::f64::consts::FRAC_PI_2;
    let n = (x / FRAC_PI_2).round();
    let r = x - n * FRAC_PI_2;
    let r2 = r * r;
    let (mut s, mut c) = (0.0, 0.0);
    let (mut ts, mut tc) = (r, 1.0);
    for k in 0..8 {
        s += ts;
        c += tc;
        let k = k as f64;
        ts *= -r2 / ((2.0 * k + 2.0) * (2.0 * k + 3.0));
        tc *= -r2 / ((2.0 * k + 1.0) * (2.0 * k + 2.0));
    }
    match (n as i64).rem_euclid(4) {
        0 => (s, c),
        1 => (c, -s),
        2 => (-s, -c),
        _ => (-c, s),
    }
}

fn sin(x: f64) -> f64 {
    sin_cos(x).0
}

fn cos(x: f64) -> f64 {
    sin_cos(x).1
}

/// A distance as read: `850 m`, `1.23 km`.
pub fn distance_text(metres: f64) -> String {
    if !metres.is_finite() {
        return "?".into();
    }
    let m = metres.round() as u64;
    if m < 1000 {
        format!("{m} m")
    } else {
        let centi_km = (metres / 10.0).round() as u64;
        format!("{}.{:02} km", centi_km / 100, centi_km % 100)
    }
}

/// Degrees with 5 decimals (about a metre), e.g. `-0.12745`.
pub fn degrees_text(deg: f64) -> String {
    let micro = (deg.abs() * 100_000.0).round() as u64;
    let sign = if deg < 0.0 && micro > 0 { "-" } else { "" };
    format!("{sign}{}.{:05}", micro / 100_000, micro % 100_000)
}

/// The plot: an equirectangular projection (longitude scaled by the
/// cosine of the middle latitude, so a city looks like itself) of the
/// points and the search area onto `WIDTH` x `height` integer units.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Plot {
    min_lon: f64,
    max_lat: f64,
    /// Units per degree of latitude; longitude gets `scale * kx`.
    scale: f64,
    kx: f64,
    pub height: i32,
}

/// Plot units across: the stage draws the plot 200-350 px wide, so a
/// 14-unit label reads at 10-16 px.
pub const WIDTH: i32 = 300;
const PAD: f64 = 20.0;

impl Plot {
    pub fn fit(points: &[Point], search: Option<&GeoSearch>) -> Plot {
        let mut lons: Vec<f64> = points.iter().map(|p| p.lon).collect();
        let mut lats: Vec<f64> = points.iter().map(|p| p.lat).collect();
        if let Some(s) = search {
            let (dlon, dlat) = s.half_extent();
            lons.extend([s.lon - dlon, s.lon + dlon]);
            lats.extend([s.lat - dlat, s.lat + dlat]);
        }
        let min = |v: &[f64]| v.iter().copied().fold(f64::INFINITY, f64::min);
        let max = |v: &[f64]| v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let (mut min_lon, mut max_lon) = (min(&lons), max(&lons));
        let (mut min_lat, mut max_lat) = (min(&lats), max(&lats));
        if !min_lon.is_finite() {
            (min_lon, max_lon, min_lat, max_lat) = (-1.0, 1.0, -1.0, 1.0);
        }
        let kx = cos(((min_lat + max_lat) / 2.0).to_radians()).max(0.05);
        // At least ~100 m across, so one point is not a division by zero.
        let span_x = ((max_lon - min_lon) * kx).max(0.001);
        let span_y = (max_lat - min_lat).max(0.001);
        let inner = WIDTH as f64 - 2.0 * PAD;
        let scale = (inner / span_x).min(inner / span_y);
        let height = (span_y * scale + 2.0 * PAD).round().clamp(60.0, 300.0) as i32;
        // Centre the drawing in both directions.
        let real_x = (max_lon - min_lon) * kx;
        let real_y = max_lat - min_lat;
        let min_lon = min_lon - (inner / scale - real_x) / 2.0 / kx;
        let max_lat = max_lat + ((height as f64 - 2.0 * PAD) / scale - real_y) / 2.0;
        Plot {
            min_lon,
            max_lat,
            scale,
            kx,
            height,
        }
    }

    /// Plot units of a place.
    pub fn project(&self, lon: f64, lat: f64) -> (i32, i32) {
        let x = PAD + (lon - self.min_lon) * self.kx * self.scale;
        let y = PAD + (self.max_lat - lat) * self.scale;
        (x.round() as i32, y.round() as i32)
    }

    /// Plot units of a length in metres (north-south).
    pub fn metres(&self, m: f64) -> i32 {
        (m / metres_per_degree() * self.scale).round() as i32
    }
}

fn metres_per_degree() -> f64 {
    EARTH_RADIUS * std::f64::consts::PI / 180.0
}

impl GeoSearch {
    /// Half the area's width and height in degrees (longitude, latitude).
    fn half_extent(&self) -> (f64, f64) {
        let (w, h) = match self.shape {
            Shape::Radius(r) => (r, r),
            Shape::Box { width, height } => (width / 2.0, height / 2.0),
        };
        let kx = cos(self.lat.to_radians()).max(0.05);
        (w / metres_per_degree() / kx, h / metres_per_degree())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// GEOADD places 13.361389 38.115556 "Palermo" at this score
    /// (redis-server 7.0, ZSCORE).
    const PALERMO: f64 = 3_479_099_956_230_698.0;

    #[test]
    fn geohash_scores_decode_to_places() {
        let p = Point::decode("Palermo".into(), PALERMO).unwrap();
        assert!((p.lon - 13.361389).abs() < 1e-5, "{}", p.lon);
        assert!((p.lat - 38.115556).abs() < 1e-5, "{}", p.lat);
        assert!(Point::decode("x".into(), 1.5).is_none());
        assert!(Point::decode("x".into(), -1.0).is_none());
        assert!(Point::decode("x".into(), (1u64 << 52) as f64).is_none());
        assert!(looks_like_geohash(PALERMO));
        assert!(!looks_like_geohash(120.0), "a leaderboard's score");
    }

    #[test]
    fn distances_read_like_geodist() {
        // GEODIST Sicily Palermo Catania: 166274.1516 m.
        let d = distance(13.361389, 38.115556, 15.087269, 37.502669);
        assert!((d - 166_274.15).abs() < 1.0, "{d}");
        assert_eq!(distance_text(d), "166.27 km");
        assert_eq!(distance_text(849.6), "850 m");
        assert_eq!(degrees_text(-0.127_449), "-0.12745");
        assert_eq!(degrees_text(13.361389), "13.36139");
    }

    #[test]
    fn sine_and_cosine_match_libm() {
        for i in -700..=700 {
            let x = i as f64 / 100.0;
            let (s, c) = sin_cos(x);
            assert!((s - x.sin()).abs() < 1e-10, "sin {x}");
            assert!((c - x.cos()).abs() < 1e-10, "cos {x}");
        }
    }

    #[test]
    fn the_plot_fits_points_and_search() {
        let pts = vec![
            Point {
                member: "a".into(),
                lon: 13.0,
                lat: 38.0,
            },
            Point {
                member: "b".into(),
                lon: 15.0,
                lat: 37.5,
            },
        ];
        let plot = Plot::fit(&pts, None);
        let (ax, ay) = plot.project(13.0, 38.0);
        let (bx, by) = plot.project(15.0, 37.5);
        assert!(ax < bx && ay < by, "west is left, north is up");
        for (x, y) in [(ax, ay), (bx, by)] {
            assert!((0..=WIDTH).contains(&x) && (0..=plot.height).contains(&y));
        }
        let one = Plot::fit(&pts[..1], None);
        let (x, y) = one.project(13.0, 38.0);
        assert_eq!((x, y), (WIDTH / 2, one.height / 2), "one point: centred");
        let s = GeoSearch {
            lon: 14.0,
            lat: 37.8,
            shape: Shape::Radius(200_000.0),
            label: String::new(),
        };
        let wide = Plot::fit(&pts, Some(&s));
        assert!(wide.metres(200_000.0) > 0);
        let (cx, _) = wide.project(14.0, 37.8);
        assert!(cx - wide.metres(200_000.0) >= 0, "the circle fits");
    }
}
