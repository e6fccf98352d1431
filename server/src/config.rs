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
    /// Validate a repository (or one file) and print diagnostics. Exit status:
    /// 0 no errors, 1 errors found, 2 could not run.
    Validate(ValidateConfig),
}

#[derive(Debug, Clone, clap::Args)]
pub struct ValidateConfig {
    /// Repository directory or a single YAML file to validate.
    pub path: PathBuf,

    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,

    /// Datasource names or uids provisioned outside the repository; references
    /// to them are not reported as unresolved. Repeat or separate by commas.
    #[arg(
        long = "external-datasource",
        env = "DASHSTUDIO_EXTERNAL_DATASOURCES",
        value_delimiter = ','
    )]
    pub external_datasources: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// Grouped by file, coloured on a terminal (honours NO_COLOR).
    Text,
    /// One JSON object: summary and diagnostics.
    Json,
    /// SARIF 2.1.0 for code-scanning UIs.
    Sarif,
    /// GitHub Actions annotations (`::error file=…`).
    Github,
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
