//! Command-line and environment configuration: one clap struct per command,
//! every flag also readable from a `DASHSTUDIO_*` environment variable.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "dashstudio",
    version,
    about = "Browse, validate and edit GrafanaDashboard CRDs in Git"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the studio (web UI and REST API).
    Serve(ServeConfig),
}

#[derive(Debug, Clone, clap::Args)]
pub struct ServeConfig {
    /// Repository to open: a Git working tree or a plain directory. Without it,
    /// a demo repository is generated in the data dir.
    #[arg(long, env = "DASHSTUDIO_REPO")]
    pub repo: Option<PathBuf>,

    /// Where the studio keeps its database and clones.
    #[arg(long, env = "DASHSTUDIO_DATA_DIR", default_value = "data")]
    pub data_dir: PathBuf,

    /// Address to listen on; port 0 picks a free port.
    #[arg(long, env = "DASHSTUDIO_LISTEN", default_value = "127.0.0.1:3000")]
    pub listen: SocketAddr,

    /// Directory of the built site (`pkg/` with the hydration bundle and CSS).
    #[arg(long, env = "LEPTOS_SITE_ROOT", default_value = "target/site")]
    pub site_root: PathBuf,
}
