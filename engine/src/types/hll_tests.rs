//! Unit tests of the HyperLogLog bytes. Expected registers and counts are
//! what redis-server 7.0.15 showed (PFDEBUG GETREG, PFCOUNT) for the same
//! elements.

use super::*;
use crate::rng::Rng;

/// (element, register, pattern length) as PFDEBUG GETREG showed them
/// after adding the element alone; the elements cover the hash's 8-byte
/// blocks and every tail length class.
const OBSERVED: &[(&str, usize, u8)] = &[
    ("a", 12711, 2),
    ("x", 16374, 2),
    ("", 5938, 2),
    ("hello world", 9399, 4),
    ("0123456789abcdef", 5949, 1),
    ("the quick brown fox jumps", 7253, 2),
    ("7", 14839, 1),
];

#[test]
fn the_hash_places_elements_as_redis_does() {
    for &(element, index, count) in OBSERVED {
        assert_eq!(pattern(element.as_bytes()), (index, count), "{element:?}");
    }
}

#[test]
fn a_new_hll_is_one_xzero_with_a_zero_cache() {
    let s = new_sparse();
    assert_eq!(s.len(), 18);
    assert_eq!(&s[..5], b"HYLL\x01");
    assert_eq!(&s[16..], &[0x7f, 0xff]);
    assert!(is_valid(&s));
    assert_eq!(cached(&s), Some(0));
    assert_eq!(decode(&s), "Z:16384");
    assert_eq!(count(&s), Ok(0));
}

#[test]
fn registers_go_where_the_hash_says_and_the_sparse_form_stays_minimal() {
    let mut s = new_sparse();
    for el in ["a", "x", "7"] {
        assert_eq!(add(&mut s, el.as_bytes()), Ok(true));
    }
    assert_eq!(add(&mut s, b"a"), Ok(false));
    assert_eq!(decode(&s), "Z:12711 v:2,1 Z:2127 v:1,1 Z:1534 v:2,1 z:9");
    let regs = registers(&s).unwrap();
    assert_eq!((regs[12711], regs[16374], regs[14839]), (2, 2, 1));
    assert_eq!(regs.iter().filter(|&&r| r > 0).count(), 3);
    assert_eq!(cached(&s), None, "the cache is stale after a change");
    assert_eq!(count(&s), Ok(3));
}

#[test]
fn sparse_and_dense_agree_on_registers_and_counts() {
    let mut rng = Rng::new(7);
    for n in [1usize, 10, 100, 500, 1000, 3000] {
        let mut sparse = new_sparse();
        let mut dense = sparse_to_dense(&new_sparse()).unwrap();
        assert!(!is_sparse(&dense) && is_valid(&dense));
        for _ in 0..n {
            let el = rng.next_u64().to_string();
            let a = add(&mut sparse, el.as_bytes()).unwrap();
            let b = add(&mut dense, el.as_bytes()).unwrap();
            assert_eq!(a, b, "{n}: {el}");
        }
        assert_eq!(registers(&sparse), registers(&dense), "{n}");
        assert_eq!(count(&sparse), count(&dense), "{n}");
        if is_sparse(&sparse) {
            assert!(sparse.len() <= SPARSE_MAX_BYTES, "{n}");
            let converted = sparse_to_dense(&sparse).unwrap();
            assert_eq!(&converted[HDR_SIZE..], &dense[HDR_SIZE..], "{n}");
        }
        let mut max = [0; REGISTERS];
        merge_into(&mut max, &sparse).unwrap();
        assert_eq!(count_raw(&max), count(&dense).unwrap(), "{n}");
    }
}

#[test]
fn a_big_sparse_hll_turns_dense_at_the_size_limit() {
    let mut s = new_sparse();
    let mut i = 0;
    while is_sparse(&s) {
        add(&mut s, i.to_string().as_bytes()).unwrap();
        i += 1;
        assert!(s.len() <= SPARSE_MAX_BYTES || !is_sparse(&s));
    }
    assert_eq!(s.len(), DENSE_SIZE);
    assert!(i > 1000 && i < 4000, "{i}");
}

#[test]
fn a_register_above_32_turns_the_hll_dense() {
    let mut s = new_sparse();
    assert_eq!(set_register(&mut s, 100, 32), Ok(true));
    assert!(is_sparse(&s));
    assert_eq!(set_register(&mut s, 200, 33), Ok(true));
    assert!(!is_sparse(&s));
    let regs = registers(&s).unwrap();
    assert_eq!((regs[100], regs[200]), (32, 33));
}

#[test]
fn the_last_register_of_a_dense_hll_round_trips() {
    let mut s = sparse_to_dense(&new_sparse()).unwrap();
    for i in [0, 1, 2, 3, 16382, 16383] {
        assert_eq!(set_register(&mut s, i, 51), Ok(true));
    }
    let regs = registers(&s).unwrap();
    assert_eq!(regs.iter().filter(|&&r| r == 51).count(), 6);
    assert_eq!(regs[16383], 51);
}

#[test]
fn the_cache_keeps_a_value_until_invalidated() {
    let mut s = new_sparse();
    set_cached(&mut s, 1234);
    assert_eq!(cached(&s), Some(1234));
    invalidate_cache(&mut s);
    assert_eq!(cached(&s), None);
    assert_eq!(s[15] & 0x80, 0x80);
}

#[test]
fn sparse_strings_that_do_not_cover_16384_registers_are_corrupt() {
    let mut short = new_sparse();
    short.truncate(16);
    assert_eq!(count(&short), Err(Corrupt));
    assert_eq!(add(&mut short, b"a"), Err(Corrupt));
    let mut long = new_sparse();
    long.push(0x80); // a VAL after the last register
    assert_eq!(count(&long), Err(Corrupt));
    assert_eq!(sparse_to_dense(&long), Err(Corrupt));
    let mut max = [0; REGISTERS];
    assert_eq!(merge_into(&mut max, &long), Err(Corrupt));
}

#[test]
fn the_estimator_matches_redis_on_extreme_registers() {
    // Every register at 63 (no hash gives that): Redis's llroundl of an
    // infinite estimate, LLONG_MIN as unsigned.
    let mut s = sparse_to_dense(&new_sparse()).unwrap();
    s[HDR_SIZE..].fill(0xff);
    assert_eq!(count(&s), Ok(1 << 63));
    assert_eq!(count_raw(&[0; REGISTERS]), 0);
}

/// Random bytes after a valid header, in both encodings, and random edits
/// of real HLLs: every operation answers, none panics.
#[test]
fn random_and_corrupted_strings_never_panic() {
    let mut rng = Rng::new(42);
    for round in 0..1500 {
        let mut s = if round % 2 == 0 {
            let mut s = new_sparse();
            s.truncate(HDR_SIZE);
            let len = rng.below(64) as usize;
            s.extend((0..len).map(|_| rng.next_u64() as u8));
            s
        } else {
            let mut s = new_sparse();
            for j in 0..rng.below(300) {
                add(&mut s, &j.to_le_bytes()).unwrap();
            }
            if rng.below(3) == 0 {
                s = sparse_to_dense(&s).unwrap();
            }
            for _ in 0..1 + rng.below(4) {
                let at = HDR_SIZE + rng.below((s.len() - HDR_SIZE) as u64) as usize;
                s[at] = rng.next_u64() as u8;
            }
            s
        };
        if !is_valid(&s) {
            continue;
        }
        let _ = count(&s);
        let _ = decode(&s);
        let mut max = [0; REGISTERS];
        let _ = merge_into(&mut max, &s);
        let _ = registers(&s);
        if is_sparse(&s) {
            let _ = sparse_to_dense(&s);
        }
        for j in 0..20u64 {
            let _ = add(&mut s, &(round as u64 * 100 + j).to_le_bytes());
            if !is_valid(&s) {
                break;
            }
        }
        let _ = set_register(&mut s, rng.below(REGISTERS as u64) as usize, 40);
    }
}
