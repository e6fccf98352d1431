//! Server functions: thin wrappers that read the repository index the server
//! provides as context; the REST API answers the same questions from the same index.

pub mod browse;
pub mod editor;
pub mod problems;
pub mod session;
