//! The page's parts. Each takes the [`Playground`](crate::Playground)
//! handle as a prop, so a test can mount any one of them alone.

pub mod app;
pub mod clock;
pub mod console;
pub mod key_list;
