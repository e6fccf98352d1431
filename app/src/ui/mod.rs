//! UI components, one module per area of the screen.

pub mod dashboard;
pub mod editor;
pub mod format;
pub mod grid;
pub mod layout;
pub mod list;
pub mod new_dashboard;
pub mod problems;
pub mod signin;
