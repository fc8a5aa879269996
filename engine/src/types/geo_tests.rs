use super::*;

#[test]
fn palermo_encodes_to_redis_score_and_decodes_to_the_cell_centre() {
    assert_eq!(score_of(13.361389, 38.115556), Some(3479099956230698));
    let [x, y] = decode_score(3479099956230698.0).unwrap();
    assert_eq!((x, y), (13.361389338970184, 38.1155563954963));
    assert_eq!(&geohash_string([x, y]).unwrap(), b"sqc8b49rny0");
}

#[test]
fn the_top_edge_keeps_the_extra_bit() {
    // Redis stores 3 * 2^52 for (180, 85.05112878): offsets of 2^26.
    assert_eq!(score_of(180.0, LAT_MAX), Some(13510798882111488));
    assert_eq!(score_of(180.1, 0.0), None);
}

#[test]
fn x86_conversions() {
    assert_eq!(c_u64(-1.0), u64::MAX);
    assert_eq!(c_u64(1e30), 0);
    assert_eq!(c_u64(f64::NEG_INFINITY), 1 << 63);
    assert_eq!(c_i64(1e30), i64::MIN);
    assert_eq!(c_i64(-2.5), -2);
}

#[test]
fn steps_by_radius() {
    assert_eq!(estimate_steps_by_radius(0.0, 0.0), 26);
    assert_eq!(estimate_steps_by_radius(200_000.0, 0.0), 6);
    assert_eq!(estimate_steps_by_radius(200_000.0, 70.0), 5);
    assert_eq!(estimate_steps_by_radius(200_000.0, -85.0), 4);
    assert_eq!(estimate_steps_by_radius(1e9, 0.0), 1);
}

#[test]
fn pqsort_places_the_wanted_ranks() {
    let mut seed = 7u64;
    for n in [0usize, 1, 5, 8, 41, 100, 300] {
        for k in [1usize, 3, 10, 50] {
            let mut v: Vec<u32> = (0..n)
                .map(|_| {
                    seed = seed
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    (seed >> 40) as u32 % 50
                })
                .collect();
            let mut sorted = v.clone();
            sorted.sort();
            if n == 0 {
                continue;
            }
            let k = k.min(n);
            pqsort(&mut v, &|a: &u32, b: &u32| a.cmp(b), 0, k - 1);
            assert_eq!(v[..k], sorted[..k], "n={n} k={k}");
            let mut whole = v.clone();
            pqsort(&mut whole, &|a: &u32, b: &u32| a.cmp(b), 0, n - 1);
            assert_eq!(whole, sorted);
        }
    }
}

#[test]
fn pqsort_orders_ties_as_redis_7_0() {
    // GEOSEARCH ... COUNT 5 over 13 points answered j before i (equal
    // distances, i first in the input): Redis 7.0's pqsort has no
    // insertion-sort switch, whose absence decides this order.
    let dists = [
        0.1666, 0.1243, 0.0556, 0.0556, 0.0556, 0.0556, 0.0556, 0.0556, 0.0556, 0.0556, 0.0554,
        0.0554, 0.1244,
    ];
    let mut v: Vec<(f64, usize)> = dists.iter().copied().zip(0..).collect();
    pqsort(
        &mut v,
        &|a: &(f64, usize), b: &(f64, usize)| a.0.total_cmp(&b.0),
        0,
        4,
    );
    let ids: Vec<usize> = v.iter().map(|x| x.1).collect();
    assert_eq!(ids, [11, 10, 2, 3, 4, 5, 6, 7, 8, 9, 1, 12, 0]);
}

#[test]
fn stable_sort_keeps_ties_in_order() {
    let mut seed = 3u64;
    for n in [0usize, 1, 2, 3, 7, 64, 100, 513] {
        let mut v: Vec<(u32, usize)> = (0..n)
            .map(|i| {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                ((seed >> 40) as u32 % 9, i)
            })
            .collect();
        let mut want = v.clone();
        want.sort_by_key(|x| x.0);
        stable_sort(&mut v, &|a: &(u32, usize), b: &(u32, usize)| a.0.cmp(&b.0));
        assert_eq!(v, want, "n={n}");
    }
}
