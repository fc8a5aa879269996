//! A Redis-compatible in-memory engine: pure Rust, no clock, no I/O.
//!
//! The host (the browser app, the `repl`, the tests) owns time and
//! connections: it creates clients, hands the engine one command at a time,
//! and advances the virtual clock. The engine answers with [`Reply`] values
//! and records what changed as [`Event`]s.
//!
//! # Layout
//! - [`engine`]: the [`Engine`]: databases, clients, the virtual clock, dispatch.
//! - [`config`]: the settings CONFIG GET/SET reach (encoding limits, LFU, hz).
//! - [`db`]: one keyspace with lazy and active expiry and a stable SCAN cursor.
//! - [`value`]: what a key holds; [`types`]: the aggregate data structures.
//! - [`commands`]: the command table (data) and one module per command family.
//! - [`reply`]: replies as RESP2 bytes and as `redis-cli` prints them.
//! - [`split`]: splitting a line into arguments exactly as `redis-cli` does.
//! - [`script`]: running a script (client prefixes, `#` narration) into a transcript.
//! - [`event`]: the change feed the UI draws from.
//! - [`pubsub`]: subscriptions and message delivery; [`notify`]: keyspace
//!   notifications, published from the change a command made.
//! - [`tx`]: MULTI queues and WATCHed keys, what CLIENT LIST shows of a connection.
//! - [`blocking`]: blocked clients (BLPOP ...): who waits on what, serving, timeouts.
//! - [`inspect`]: a read-only look at one key (bounded), for the stage to draw.
//! - [`pause`]: CLIENT PAUSE: held commands, run when the pause ends.
//! - [`tracking`]: CLIENT TRACKING: remembered keys, invalidation messages.

pub mod blocking;
pub mod commands;
pub mod config;
pub mod db;
pub mod engine;
pub mod event;
pub mod evict;
pub mod idmap;
pub mod inspect;
pub mod notify;
pub mod order;
pub mod pause;
pub mod pubsub;
pub mod reply;
pub mod rng;
pub mod script;
pub mod split;
pub mod tracking;
pub mod tx;
pub mod types;
pub mod value;

pub use engine::{ClientId, Engine, KeyInfo};
pub use event::{Event, Removal};
pub use reply::Reply;
pub use split::{split_args, SplitError};
