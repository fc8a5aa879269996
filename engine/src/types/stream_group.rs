//! A stream's consumer group (Redis's `streamCG`): where it has read to,
//! its pending entries list (PEL: delivered, not yet acknowledged, each
//! with its owner, delivery time and count), and its consumers (each
//! with when it was last seen). A consumer's own PEL (Redis keeps a second
//! radix tree per consumer) is read from the group's, by owner: the same
//! IDs in the same order, without a `BTreeSet` type (KBs of wasm) or two
//! structures to keep in step.

use std::collections::BTreeMap;

use super::stream::StreamId;

/// One pending entry (`streamNACK`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Nack {
    pub consumer: Vec<u8>,
    /// Virtual ms of the last delivery.
    pub delivery_time: u64,
    pub delivery_count: u64,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Consumer {
    /// Virtual ms of its last XREADGROUP / XCLAIM / XAUTOCLAIM.
    pub seen_time: u64,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Group {
    pub last_id: StreamId,
    /// `entries_read`; `None` is Redis's -1 (unknown).
    pub entries_read: Option<u64>,
    /// Boxed, as a stream's nodes are (`Stream::nodes`): one layout, one
    /// copy of the `BTreeMap` code in the wasm.
    pub pel: BTreeMap<StreamId, Box<Nack>>,
    /// By name, in Redis's radix tree (byte) order.
    pub consumers: crate::idmap::VecMap<Vec<u8>, Consumer>,
}

impl Group {
    /// The pending IDs `consumer` owns from `start` on, in ID order (its
    /// PEL).
    pub fn owned<'a>(
        &'a self,
        consumer: &'a [u8],
        start: StreamId,
    ) -> impl Iterator<Item = StreamId> + 'a {
        self.pel
            .range(start..)
            .filter(move |(_, n)| n.consumer == consumer)
            .map(|(id, _)| *id)
    }

    /// How many pending IDs `consumer` owns.
    pub fn owned_count(&self, consumer: &[u8]) -> usize {
        self.pel.values().filter(|n| n.consumer == consumer).count()
    }

    /// The consumer `name`: created if absent (`streamCreateConsumer`),
    /// else, with `refresh`, seen now (`streamLookupConsumer`). True if
    /// it was created.
    pub fn touch_consumer(&mut self, name: &[u8], now: u64, refresh: bool) -> bool {
        match self.consumers.get_mut(name) {
            Some(c) => {
                if refresh {
                    c.seen_time = now;
                }
                false
            }
            None => {
                self.consumers
                    .insert(name.to_vec(), Consumer { seen_time: now });
                true
            }
        }
    }
}
