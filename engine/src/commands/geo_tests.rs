//! Unit tests of the geo commands; expected replies are what
//! redis-server 7.0.15 answered to the same lines.

use crate::commands::test_support::*;

const SICILY: &str = "GEOADD Sicily 13.361389 38.115556 Palermo 15.087269 37.502669 Catania";

#[test]
fn add_pos_dist_hash() {
    let (mut e, c) = engine();
    check(
        &mut e,
        c,
        &[
            (SICILY, "(integer) 2"),
            ("ZSCORE Sicily Palermo", "\"3479099956230698\""),
            (
                "GEOPOS Sicily Palermo nope",
                "1) 1) \"13.36138933897018433\"\n   2) \"38.11555639549629859\"\n2) (nil)",
            ),
            ("GEODIST Sicily Palermo Catania", "\"166274.1516\""),
            ("GEODIST Sicily Palermo Catania KM", "\"166.2742\""),
            ("GEODIST Sicily Palermo nope", "(nil)"),
            ("GEODIST nokey a b", "(nil)"),
            (
                "GEOHASH Sicily Palermo Catania x",
                "1) \"sqc8b49rny0\"\n2) \"sqdtr74hyu0\"\n3) (nil)",
            ),
            ("TYPE Sicily", "string".replace("string", "zset").as_str()),
        ],
    );
}

#[test]
fn searches() {
    let (mut e, c) = engine();
    run(&mut e, c, SICILY);
    check(
        &mut e,
        c,
        &[
            (
                "GEOSEARCH Sicily FROMLONLAT 15 37 BYRADIUS 200 km ASC WITHDIST WITHCOORD WITHHASH",
                "1) 1) \"Catania\"\n   2) \"56.4413\"\n   3) (integer) 3479447370796909\n   4) 1) \"15.08726745843887329\"\n      2) \"37.50266842333162032\"\n2) 1) \"Palermo\"\n   2) \"190.4424\"\n   3) (integer) 3479099956230698\n   4) 1) \"13.36138933897018433\"\n      2) \"38.11555639549629859\"",
            ),
            (
                "GEOSEARCH Sicily FROMLONLAT 15 37 BYBOX 400 400 km DESC WITHDIST",
                "1) 1) \"Palermo\"\n   2) \"190.4424\"\n2) 1) \"Catania\"\n   2) \"56.4413\"",
            ),
            ("GEORADIUS Sicily 15 37 100 km", "1) \"Catania\""),
            ("GEORADIUS Sicily 15 37 200 km STOREDIST d", "(integer) 2"),
            ("ZRANGE d 0 -1", "1) \"Catania\"\n2) \"Palermo\""),
            ("GEOSEARCHSTORE d Sicily FROMMEMBER Palermo BYRADIUS 1 m", "(integer) 1"),
            ("GEOSEARCHSTORE d nokey FROMMEMBER Palermo BYRADIUS 1 m", "(integer) 0"),
            ("EXISTS d", "(integer) 0"),
        ],
    );
}

#[test]
fn errors_in_redis_order() {
    let (mut e, c) = engine();
    run(&mut e, c, SICILY);
    run(&mut e, c, "SET s x");
    check(
        &mut e,
        c,
        &[
            (
                "GEOADD k 200 100 x",
                "(error) ERR invalid longitude,latitude pair 200.000000,100.000000",
            ),
            (
                "GEOADD k inf 0 x",
                "(error) ERR invalid longitude,latitude pair inf,0.000000",
            ),
            ("GEOADD k abc 1 x", NOT_FLOAT),
            ("GEOADD k xx nx 1 1 a", SYNTAX),
            ("GEOADD k gt 1 1 a", SYNTAX),
            (
                "GEODIST Sicily Palermo Catania yd",
                "(error) ERR unsupported unit provided. please use M, KM, FT, MI",
            ),
            ("GEORADIUS Sicily 15 37 200 km COUNT 0", "(error) ERR COUNT must be > 0"),
            (
                "GEORADIUS Sicily 15 37 200 km ANY",
                "(error) ERR the ANY argument requires COUNT argument",
            ),
            (
                "GEORADIUS Sicily 15 37 200 km WITHDIST STORE d",
                "(error) ERR STORE option in GEORADIUS is not compatible with WITHDIST, WITHHASH and WITHCOORD options",
            ),
            ("GEORADIUS_RO Sicily 15 37 200 km STORE d", SYNTAX),
            (
                "GEOSEARCH Sicily FROMMEMBER Palermo BYRADIUS 10 km BYBOX 1 1 km",
                SYNTAX,
            ),
            (
                "GEOSEARCH Sicily FROMMEMBER x BYRADIUS 10 km",
                "(error) ERR could not decode requested zset member",
            ),
            ("GEOPOS s a", WRONGTYPE),
            ("GEORADIUS s 1000 1000 x y", WRONGTYPE),
            (
                "GEOSEARCH Sicily FROMLONLAT 1 2 BYRADIUS -1 km",
                "(error) ERR radius cannot be negative",
            ),
            (
                "GEOSEARCH Sicily FROMLONLAT 1 2 BYBOX 1 y km",
                "(error) ERR need numeric height",
            ),
        ],
    );
}

#[test]
fn weird_scores_decode_as_x86_converts_them() {
    let (mut e, c) = engine();
    run(&mut e, c, "ZADD w -1 neg 1e30 big -inf ninf");
    check(
        &mut e,
        c,
        &[
            (
                "GEOPOS w neg big ninf",
                "1) 1) \"180\"\n   2) \"85.0511287799999991\"\n2) 1) \"-179.99999731779098511\"\n   2) \"-85.05112751263942528\"\n3) 1) \"180\"\n   2) \"-85.05112751263942528\"",
            ),
            (
                "GEOHASH w neg big",
                "1) \"bp05b5048p0\"\n2) \"00bh0hbj200\"",
            ),
        ],
    );
}

/// An independent great-circle distance (the `atan2` form of the
/// haversine, on Redis's earth radius), for the brute-force filter.
fn great_circle(lon1: f64, lat1: f64, lon2: f64, lat2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let (dp, dl) = ((lat2 - lat1).to_radians(), (lon2 - lon1).to_radians());
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * 6372797.560856 * a.sqrt().atan2((1.0 - a).sqrt())
}

fn text(r: &crate::reply::Reply) -> String {
    match r {
        crate::reply::Reply::Bulk(b) => String::from_utf8_lossy(b).into_owned(),
        other => panic!("not a bulk: {other:?}"),
    }
}

/// GEOSEARCH finds exactly the points a brute-force filter over every
/// point finds (by radius and by box, from random centres and sizes,
/// points in dense clusters and across the globe), and answers them in
/// ascending distance; a point within a millimetre of the boundary (where
/// two correct distance formulas may disagree) is left out of the
/// comparison, as is a point at longitude 180 (see below).
#[test]
fn search_equals_brute_force_haversine() {
    use crate::reply::Reply;
    use crate::rng::Rng;
    let (mut e, c) = engine();
    let mut rng = Rng::new(5);
    let unit = |rng: &mut Rng| (rng.below(1_000_000) as f64) / 1_000_000.0;
    // Clusters (so that searches span several cells) and a global spread.
    let centres = [
        (13.4, 38.1),
        (-74.0, 40.7),
        (150.0, -33.9),
        (179.9, 10.0),
        (25.0, 70.0),
    ];
    let mut points = Vec::new();
    for i in 0..1500 {
        let (x, y) = if i % 5 == 4 {
            (
                unit(&mut rng) * 360.0 - 180.0,
                unit(&mut rng) * 170.0 - 85.0,
            )
        } else {
            let (cx, cy) = centres[i % centres.len()];
            let x = cx + (unit(&mut rng) - 0.5) * 2.0;
            (x.clamp(-180.0, 180.0), cy + (unit(&mut rng) - 0.5) * 1.5)
        };
        points.push(format!("{x:.6} {y:.6} p{i}"));
    }
    for chunk in points.chunks(100) {
        run(&mut e, c, &format!("GEOADD pts {}", chunk.join(" ")));
    }
    // Every point where Redis keeps it: GEOPOS, decoded from the score.
    let names: Vec<String> = (0..points.len()).map(|i| format!("p{i}")).collect();
    let mut pos = Vec::new();
    for chunk in names.chunks(200) {
        let line = format!("GEOPOS pts {}", chunk.join(" "));
        let Reply::Array(items) = e.execute_line(c, &line).remove(0) else {
            panic!("GEOPOS");
        };
        for item in items {
            let Reply::Array(xy) = item else {
                panic!("no position")
            };
            pos.push((
                text(&xy[0]).parse::<f64>().unwrap(),
                text(&xy[1]).parse::<f64>().unwrap(),
            ));
        }
    }
    let radii = [0.5, 3.0, 10.0, 40.0, 120.0, 600.0, 3000.0];
    let mut compared = 0;
    for q in 0..300 {
        let (cx, cy) = if q % 3 == 0 {
            (
                unit(&mut rng) * 360.0 - 180.0,
                unit(&mut rng) * 160.0 - 80.0,
            )
        } else {
            let (x, y) = centres[q % centres.len()];
            (
                x + (unit(&mut rng) - 0.5) * 2.0,
                y + (unit(&mut rng) - 0.5) * 1.5,
            )
        };
        // A centre at exactly 180 has the same too-long hash, and Redis
        // then misses the points across the antimeridian.
        let cx = cx.clamp(-180.0, 179.999999);
        let r_km = radii[q % radii.len()] * (0.5 + unit(&mut rng));
        let (w_km, h_km) = (
            r_km * 2.0 * (0.3 + unit(&mut rng)),
            r_km * 2.0 * (0.3 + unit(&mut rng)),
        );
        let by_box = q % 2 == 1;
        let shape = if by_box {
            format!("BYBOX {w_km} {h_km} km")
        } else {
            format!("BYRADIUS {r_km} km")
        };
        let line = format!("GEOSEARCH pts FROMLONLAT {cx} {cy} {shape} ASC WITHDIST");
        let Reply::Array(found) = e.execute_line(c, &line).remove(0) else {
            panic!("{line}");
        };
        let mut got = std::collections::BTreeSet::new();
        let mut last = 0.0;
        for item in &found {
            let Reply::Array(pair) = item else {
                panic!("{line}")
            };
            let dist: f64 = text(&pair[1]).parse().unwrap();
            assert!(dist >= last, "{line}: not ascending");
            last = dist;
            got.insert(text(&pair[0]));
        }
        const EDGE_M: f64 = 0.001;
        for (i, &(x, y)) in pos.iter().enumerate() {
            let name = format!("p{i}");
            let (inside, margin) = if by_box {
                let dx = great_circle(x, y, cx, y) - w_km * 500.0;
                let dy = great_circle(x, y, x, cy) - h_km * 500.0;
                (dx <= 0.0 && dy <= 0.0, dx.abs().min(dy.abs()))
            } else {
                let d = great_circle(cx, cy, x, y) - r_km * 1000.0;
                (d <= 0.0, d.abs())
            };
            // A point stored at longitude 180 (or the top latitude) has a
            // hash one bit too long, outside every cell's score range:
            // Redis never finds it, and neither does the port.
            if margin < EDGE_M || x == 180.0 || y >= crate::types::geo::LAT_MAX - 1e-6 {
                continue;
            }
            compared += 1;
            assert_eq!(got.contains(&name), inside, "{line}: {name} at {x},{y}");
        }
    }
    assert!(compared > 400_000, "{compared}");
}
