//! Commands other than `serve`, run from the command line.

pub mod user;
pub mod validate;
