//! Dashboard Studio's server: REST API, UI host and command line, over the
//! domain in `dashstudio-core`. The binary in `main.rs` only wires these up.

pub mod api;
pub mod auth;
pub mod cli;
pub mod config;
pub mod db;
pub mod demo;
pub mod editor;
pub mod error;
pub mod forge;
pub mod git;
pub mod html;
pub mod metrics;
pub mod router;
pub mod security;
pub mod serve;
pub mod service;
pub mod startup;
pub mod state;
