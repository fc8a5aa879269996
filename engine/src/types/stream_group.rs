//! A stream's consumer group (Redis's `streamCG`): where it has read to,
//! its pending entries list (PEL: delivered, not yet acknowledged, each
//! with its owner, delivery time and count), and its consumers (each
//! with the IDs it owns and when it was last seen).

use std::collections::{BTreeMap, BTreeSet};

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
    pub pel: BTreeSet<StreamId>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Group {
    pub last_id: StreamId,
    /// `entries_read`; `None` is Redis's -1 (unknown).
    pub entries_read: Option<u64>,
    pub pel: BTreeMap<StreamId, Nack>,
    /// By name, in Redis's radix tree (byte) order.
    pub consumers: crate::idmap::VecMap<Vec<u8>, Consumer>,
}

impl Group {
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
                self.consumers.insert(
                    name.to_vec(),
                    Consumer {
                        seen_time: now,
                        ..Consumer::default()
                    },
                );
                true
            }
        }
    }
}
