//! Bitmap commands (SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP, BITFIELD), on strings.

use super::Handler;

pub const HANDLERS: &[(&str, Handler)] = &[];
