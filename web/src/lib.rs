//! The playground in the browser: a Leptos (client-side rendered) shell
//! around the engine. Only this crate knows the browser.
//!
//! # Layout
//! - [`components`]: the page: [`App`] and its panels (console, key list,
//!   clock), each mountable on its own for tests.
//! - [`state`]: [`Playground`], the engine held outside the reactive graph
//!   and the signals the components draw from.
//! - [`session`]: the engine side in plain Rust: running console lines,
//!   turning change events into log lines, the key list's view model.
//! - [`log`]: what the console log holds (also its saved form).
//! - [`history`]: the command history and its Up/Down walk.
//! - [`persist`]: the versioned `localStorage` format.
//! - [`editor`]: the script editor (highlighting, autocomplete, diagnostics)
//!   and its toolbar (share, export, import, reset).
//! - [`saved`]: each scenario's edited script in `localStorage`, versioned.
//! - [`share`]: the share-link codec (versioned, compressed, URL-safe).
//! - [`scenarios`]: the shipped scenarios (`scenarios/*.redis`), parsed.
//! - [`runner`]: the workbench's engine side: Run / Step / Step back / Reset,
//!   the journal and snapshots, the transcript and the client lanes.
//! - [`routes`]: `#/<slug>` and `#/<slug>?script=<payload>`.
//! - [`workbench`]: the page's layout around one scenario.
//! - [`storage`]: `localStorage` and `performance.now()`, failures as text.
//! - [`format`]: clock, TTL and key labels as shown.
//! - [`viz`]: the stage: the data types drawn, animated from the change feed.

pub mod components;
pub mod editor;
pub mod format;
pub mod history;
pub mod log;
pub mod nodejs;
pub mod persist;
pub mod routes;
pub mod runner;
pub mod saved;
pub mod scenarios;
pub mod session;
pub mod share;
pub mod state;
pub mod storage;
pub mod viz;
pub mod workbench;

pub use components::app::App;
pub use state::Playground;

/// Where the page keeps its saved console.
pub const STORAGE_KEY: &str = "redis-playground";

/// The page's entry point: report panics to the console, mount the app.
pub fn start() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(|| leptos::view! { <App storage_key=STORAGE_KEY /> });
}
