//! Set commands (SADD, SMEMBERS, ...).

use super::Handler;

pub const HANDLERS: &[(&str, Handler)] = &[];
