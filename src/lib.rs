//! `survey-widget`: the embeddable customer-satisfaction survey, compiled to WebAssembly.
//!
//! A host page adds one script tag (`embed.js`, see `docs/embedding.md`). The loader fetches
//! this crate's wasm lazily, calls [`api::boot`] with the tag's `data-*` values, then replays
//! queued `open`/`close` calls. The widget renders inside an open shadow root on `<survey-widget>`
//! and POSTs payload v1 (defined in `model`) to the configured endpoint.
//!
//! Build it with `scripts/run` (trunk); test it with `scripts/test`.

#![forbid(unsafe_code)]

pub mod api;
pub mod config;
pub mod contract;
pub mod delivery;
pub mod dom;
pub mod host;
pub mod i18n;
pub mod preview;
pub mod state;
pub mod submit;
pub mod survey;
pub mod widget;
