//! Sorted-set commands (ZADD, ZRANGE, ...).

use super::Handler;

pub const HANDLERS: &[(&str, Handler)] = &[];
