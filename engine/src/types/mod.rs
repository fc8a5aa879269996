//! The data structures behind Redis's aggregate types, one module each.
//! They know nothing of commands or replies: the command families in
//! `commands/` parse arguments and build replies around them.

pub mod geo;
pub mod hash;
pub mod hll;
pub mod list;
pub mod memory;
pub mod set;
pub mod zset;

pub use hash::Hash;
pub use list::List;
pub use set::Set;
pub use zset::ZSet;
