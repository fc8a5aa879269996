//! Differential tests against a real redis-server, and the command table
//! generator.
//!
//! # Layout
//! - [`server`]: starting a private `redis-server` (found on PATH).
//! - [`resp`]: a minimal RESP2 client whose replies are `engine::Reply`s.
//! - [`differ`]: one script on the server and on the engine, line by line.
//! - [`compare`]: which commands compare as sorted lists or within a distance.
//! - [`cli`]: the real `redis-cli` renders the server's replies, as a check
//!   of `Reply::to_cli`.
//! - [`corpus`]: every `corpus/*.redis` script, and the figures.
//! - [`gen`]: `engine/src/commands/table.rs` from COMMAND INFO and COMMAND DOCS.
//! - [`random`]: random scripts for the randomized differential test.

pub mod cli;
pub mod compare;
pub mod corpus;
pub mod differ;
pub mod gen;
pub mod random;
pub mod resp;
pub mod server;
