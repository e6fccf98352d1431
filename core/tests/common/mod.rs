//! Helpers shared by core's query tests: the query corpus files and the
//! Lezer oracle. Each test binary uses a part of it.
#![allow(dead_code)]

pub mod corpus;
pub mod lezer;
pub mod queries;
pub mod spans;
