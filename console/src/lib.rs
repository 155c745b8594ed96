//! The Studio: the web app where marketers edit, check, preview and publish survey definitions
//! (docs/studio.md). A Leptos CSR app, built by Trunk from `console/index.html` into
//! `dist/console/` (`scripts/build`) and served by the collector at `/console/`.
//!
//! - [`app`]: the shell (header, UI language, sign-in state) and which page shows.
//! - [`sign_in`], [`survey_list`], [`editor`], [`history`]: the pages.
//! - [`api`]: the collector's survey API.
//! - [`edit`], [`paths`], [`diff`]: plain logic with host tests: edits to a definition, the
//!   JSON paths `model::Definition::check` names (and the DOM ids of their controls), and the
//!   text diff between two versions. Every rule about a definition is `model`'s.
//! - [`i18n`]: the UI strings, zh-CN and en.
//!
//! Run the host tests with `cargo test -p console`; the browser tests are
//! `tests/e2e/studio.test.mjs`.

#![forbid(unsafe_code)]

pub mod api;
pub mod app;
pub mod diff;
pub mod edit;
pub mod editor;
pub mod history;
pub mod i18n;
pub mod paths;
pub mod sign_in;
pub mod survey_list;
mod web;

/// Mounts the Studio into `<body>`.
pub fn start() {
    leptos::mount::mount_to_body(app::App);
}
