//! Pull requests on the forge that hosts the repository. [`body`] writes
//! the pull request's description.

pub mod body;
