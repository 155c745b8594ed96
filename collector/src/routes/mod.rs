//! The HTTP routes, one module per area. Each has its own `router()`; [`crate::app`] merges them.

pub mod assets;
pub mod demo;
pub mod health;
pub mod responses;
pub mod surveys;
