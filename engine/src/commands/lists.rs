//! List commands (LPUSH, LPOP, ...).

use super::Handler;

pub const HANDLERS: &[(&str, Handler)] = &[];
