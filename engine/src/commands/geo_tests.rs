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
