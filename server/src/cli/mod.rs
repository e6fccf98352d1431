//! Commands other than `serve`, run from the command line.

pub mod validate;
