//! The stage: every data type drawn from the engine's change feed.
//!
//! # Layout
//! - [`model`]: [`StageModel`], rebuilt after each step from the events
//!   and [`engine::Engine::inspect`] (pure Rust, tested natively).
//! - [`geo`]: geohash scores to places, GEOSEARCH areas, the plot.
//! - [`stage`]: the [`Stage`] component and one view per data type, drawn
//!   with the plain DOM helpers of [`dom`].

pub mod dom;
pub mod geo;
pub mod model;
pub mod stage;

pub use model::{StageModel, StepInfo};
pub use stage::Stage;
