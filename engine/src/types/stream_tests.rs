//! The stream structure against a plain sorted model: ranges, deletes,
//! trims and node boundaries (the corpus checks the same shapes against
//! redis-server).

use super::*;
use crate::rng::Rng;
use std::collections::BTreeMap;

fn fields(i: u64) -> Fields {
    vec![(b"f".to_vec(), i.to_string().into_bytes())]
}

fn ids(s: &Stream, start: StreamId, end: StreamId, rev: bool) -> Vec<StreamId> {
    s.range(start, end, rev).map(|(id, _)| id).collect()
}

/// Random IDs appended in order, random deletions, then XRANGE and
/// XREVRANGE over random bounds compared with a `BTreeMap` model.
#[test]
fn ranges_match_a_sorted_model() {
    let mut rng = Rng::new(7);
    for round in 0..20 {
        let mut s = Stream::default();
        let mut model: BTreeMap<StreamId, Fields> = BTreeMap::new();
        let mut last = StreamId::MIN;
        let n = 50 + rng.below(400);
        for i in 0..n {
            // Small steps so that ms and seq both vary.
            let id = if rng.below(2) == 0 {
                StreamId::new(last.ms, last.seq + 1 + rng.below(3))
            } else {
                StreamId::new(last.ms + 1 + rng.below(5), rng.below(4))
            };
            s.append(id, fields(i), Limits::default());
            model.insert(id, fields(i));
            last = id;
        }
        for _ in 0..rng.below(n / 2) {
            let at = rng.below(last.ms + 2);
            let probe = StreamId::new(at, rng.below(6));
            assert_eq!(
                s.delete(probe),
                model.remove(&probe).is_some(),
                "round {round}"
            );
        }
        assert_eq!(s.len(), model.len());
        for _ in 0..100 {
            let a = StreamId::new(rng.below(last.ms + 2), rng.below(6));
            let b = StreamId::new(rng.below(last.ms + 2), rng.below(6));
            let want: Vec<StreamId> = if a <= b {
                model.range(a..=b).map(|(id, _)| *id).collect()
            } else {
                Vec::new()
            };
            assert_eq!(ids(&s, a, b, false), want, "round {round} {a}..{b}");
            let rev: Vec<StreamId> = want.iter().rev().copied().collect();
            assert_eq!(ids(&s, a, b, true), rev, "round {round} rev {a}..{b}");
            for (id, f) in s.range(a, b, false) {
                assert_eq!(Some(f), model.get(&id));
            }
        }
        let first = model.keys().next().copied().unwrap_or(StreamId::MIN);
        assert_eq!(s.first_id(), first);
        let top = model.keys().next_back().copied().unwrap_or(StreamId::MIN);
        assert_eq!(s.last_valid_id(), top);
    }
}

#[test]
fn nodes_hold_100_entries_deleted_ones_included() {
    let mut s = Stream::default();
    for i in 1..=250 {
        s.append(StreamId::new(i, 0), fields(i), Limits::default());
    }
    assert_eq!(s.node_count(), 3);
    // Deleting flags entries: the node still counts them.
    s.delete(StreamId::new(250, 0));
    s.append(StreamId::new(251, 0), fields(251), Limits::default());
    assert_eq!(s.node_count(), 3);
    // `~` removes whole nodes only: 251 - 100 >= 140, but 151 - 100 < 140.
    let removed = s.trim(Trim::MaxLen(140), true, 10_000);
    assert_eq!(removed.len(), 100);
    assert_eq!(s.len(), 150);
    // Exact trimming flags entries within the head node.
    let removed = s.trim(Trim::MaxLen(140), false, 0);
    assert_eq!(
        removed,
        (101..=110).map(|i| StreamId::new(i, 0)).collect::<Vec<_>>()
    );
    assert_eq!(s.first_id(), StreamId::new(111, 0));
    assert_eq!(s.node_count(), 2);
}

#[test]
fn a_node_whose_last_live_entry_goes_is_dropped() {
    let mut s = Stream::default();
    s.append(StreamId::new(1, 0), fields(1), Limits::default());
    s.append(StreamId::new(2, 0), fields(2), Limits::default());
    assert!(s.delete(StreamId::new(1, 0)));
    assert!(!s.delete(StreamId::new(1, 0)));
    assert_eq!(s.node_count(), 1);
    assert!(s.delete(StreamId::new(2, 0)));
    assert_eq!(s.node_count(), 0);
    assert!(s.is_empty());
    assert_eq!(s.last_id, StreamId::new(2, 0));
    assert_eq!(s.rax_nodes(), 1);
}

#[test]
fn big_entries_close_a_node_at_4096_bytes() {
    let mut s = Stream::default();
    let value = vec![b'x'; 1000];
    for i in 1..=5 {
        s.append(
            StreamId::new(i, 0),
            vec![(b"f".to_vec(), value.clone())],
            Limits::default(),
        );
    }
    // Each entry takes over 1000 bytes: the fourth would reach 4096.
    assert_eq!(s.node_count(), 2);
}

#[test]
fn min_id_trimming_removes_entries_below_the_id() {
    let mut s = Stream::default();
    for i in 1..=10 {
        s.append(StreamId::new(i, 0), fields(i), Limits::default());
    }
    assert_eq!(s.trim(Trim::MinId(StreamId::new(4, 0)), false, 0).len(), 3);
    assert_eq!(s.first_id(), StreamId::new(4, 0));
    // Approximate: the only node still holds IDs at or above 4-0.
    assert!(s.trim(Trim::MinId(StreamId::new(8, 0)), true, 0).is_empty());
}

#[test]
fn the_radix_tree_counts_compressed_and_branching_nodes() {
    // One key: a compressed node and the key's leaf.
    assert_eq!(rax_nodes([StreamId::new(1, 1)].into_iter()), 2);
    // Two keys differing in the last byte: the common prefix, the branch,
    // two leaves.
    assert_eq!(
        rax_nodes([StreamId::new(1, 1), StreamId::new(1, 2)].into_iter()),
        4
    );
    // Differing at byte 7: prefix, branch, then per key a compressed
    // tail and a leaf.
    assert_eq!(
        rax_nodes([StreamId::new(1, 0), StreamId::new(2, 0)].into_iter()),
        6
    );
}

#[test]
fn ids_step_and_print_as_redis() {
    assert_eq!(StreamId::new(1, u64::MAX).incr(), Some(StreamId::new(2, 0)));
    assert_eq!(StreamId::MAX.incr(), None);
    assert_eq!(StreamId::new(2, 0).decr(), Some(StreamId::new(1, u64::MAX)));
    assert_eq!(StreamId::MIN.decr(), None);
    assert_eq!(StreamId::new(5, 7).to_string(), "5-7");
}
