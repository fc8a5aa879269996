//! Hash commands (HSET, HGET, ...).

use super::Handler;

pub const HANDLERS: &[(&str, Handler)] = &[];
