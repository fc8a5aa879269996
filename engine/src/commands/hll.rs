//! HyperLogLog commands (PFADD, PFCOUNT, PFMERGE), on strings as in Redis.

use super::Handler;

pub const HANDLERS: &[(&str, Handler)] = &[];
