//! Command-line and environment configuration: one clap struct per command,
//! every flag also readable from a `DASHSTUDIO_*` environment variable.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Parser, Subcommand};
use dashstudio_core::scan::ScanLimits;

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
    Serve(Box<ServeConfig>),
    /// Validate a repository (or one file) and print diagnostics. Exit status:
    /// 0 no errors, 1 errors found, 2 could not run.
    Validate(ValidateConfig),
    /// Manage users (first setup): `dashstudio user add --username … --role admin --password-stdin`.
    #[command(subcommand)]
    User(UserCommand),
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create a user in the data dir's database.
    Add(UserAddConfig),
}

#[derive(Debug, Clone, clap::Args)]
pub struct UserAddConfig {
    #[arg(long)]
    pub username: String,
    /// viewer, editor or admin.
    #[arg(long, default_value = "viewer")]
    pub role: String,
    /// Read the password from the first line of standard input.
    #[arg(long = "password-stdin", required = true)]
    pub password_stdin: bool,
    /// Display name for commits (default: the username).
    #[arg(long)]
    pub name: Option<String>,
    /// Email for commits.
    #[arg(long)]
    pub email: Option<String>,
    /// For an editor: a folder title they may change; repeat for several
    /// (default: every folder).
    #[arg(long = "folder")]
    pub folders: Vec<String>,
    /// The data dir of the studio that will serve.
    #[arg(long, env = "DASHSTUDIO_DATA_DIR", default_value = "data")]
    pub data_dir: PathBuf,

    /// The database: `postgres://user:password@host/db` (several studio
    /// instances can share one) or `sqlite:///path/file.sqlite`. Default: a
    /// SQLite file in the data dir.
    #[arg(
        long = "database-url",
        env = "DASHSTUDIO_DATABASE_URL",
        hide_env_values = true
    )]
    pub database_url: Option<String>,
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
    /// Repository to open: a local path (a Git repository or a plain
    /// directory) or a remote URL (`https://`, `ssh://`, `git@host:path`,
    /// `file://`). Git repositories are cloned into the data dir and edited
    /// there, never in place. Without it, a demo repository is generated in
    /// the data dir.
    #[arg(long, env = "DASHSTUDIO_REPO")]
    pub repo: Option<String>,

    /// Where the studio keeps its database and clones.
    #[arg(long, env = "DASHSTUDIO_DATA_DIR", default_value = "data")]
    pub data_dir: PathBuf,

    /// The database: `postgres://user:password@host/db` (several studio
    /// instances can share one) or `sqlite:///path/file.sqlite`. Default: a
    /// SQLite file in the data dir.
    #[arg(
        long = "database-url",
        env = "DASHSTUDIO_DATABASE_URL",
        hide_env_values = true
    )]
    pub database_url: Option<String>,

    /// Address to listen on; port 0 picks a free port.
    #[arg(long, env = "DASHSTUDIO_LISTEN", default_value = "127.0.0.1:3000")]
    pub listen: SocketAddr,

    /// Directory of the built site (`pkg/` with the hydration bundle and CSS).
    #[arg(long, env = "LEPTOS_SITE_ROOT", default_value = "target/site")]
    pub site_root: PathBuf,

    /// Datasource names or uids provisioned outside the repository (as for
    /// `validate`). Repeat or separate by commas.
    #[arg(
        long = "external-datasource",
        env = "DASHSTUDIO_EXTERNAL_DATASOURCES",
        value_delimiter = ','
    )]
    pub external_datasources: Vec<String>,

    #[command(flatten)]
    pub git: GitConfig,

    #[command(flatten)]
    pub write: WriteConfig,

    #[command(flatten)]
    pub forge: ForgeArgs,

    #[command(flatten)]
    pub auth: AuthArgs,

    #[command(flatten)]
    pub limits: LimitArgs,
}

impl ServeConfig {
    /// The defaults, for a repository and data dir (what tests start from).
    pub fn new(repo: Option<String>, data_dir: PathBuf) -> Self {
        Self {
            repo,
            data_dir,
            database_url: None,
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            site_root: PathBuf::from("target/site"),
            external_datasources: Vec::new(),
            git: GitConfig::default(),
            write: WriteConfig::default(),
            forge: ForgeArgs::default(),
            auth: AuthArgs::default(),
            limits: LimitArgs::default(),
        }
    }
}

/// Sign-in: who may get in, for how long, and the first admin token.
#[derive(Debug, Clone, clap::Args)]
pub struct AuthArgs {
    /// Let anonymous visitors browse read-only (as Grafana's anonymous mode);
    /// everything else still needs sign-in.
    #[arg(long = "anonymous-read", env = "DASHSTUDIO_ANONYMOUS_READ")]
    pub anonymous_read: bool,

    /// Hours a browser session lasts.
    #[arg(
        long = "session-hours",
        env = "DASHSTUDIO_SESSION_HOURS",
        default_value_t = 12
    )]
    pub session_hours: u32,

    /// Always mark the session cookie `Secure` (set this when served over
    /// https; requests with `X-Forwarded-Proto: https` get it anyway).
    #[arg(long = "cookie-secure", env = "DASHSTUDIO_COOKIE_SECURE")]
    pub cookie_secure: bool,

    /// Creates or refreshes an admin API token with this value at start
    /// (owned by the `--author` user): for first setup and automation.
    #[arg(
        long = "bootstrap-token",
        env = "DASHSTUDIO_BOOTSTRAP_TOKEN",
        hide_env_values = true
    )]
    pub bootstrap_token: Option<String>,

    /// Sign-in attempts per minute per client address and per username (and
    /// token creations per minute per user) before 429.
    #[arg(
        long = "sign-in-limit",
        env = "DASHSTUDIO_SIGN_IN_LIMIT",
        default_value_t = 10
    )]
    pub sign_in_limit: u32,
}

impl Default for AuthArgs {
    fn default() -> Self {
        Self {
            anonymous_read: false,
            session_hours: 12,
            cookie_secure: false,
            bootstrap_token: None,
            sign_in_limit: 10,
        }
    }
}

/// How the studio reaches the remote.
/// How much one request or one repository scan may take.
#[derive(Debug, Clone, clap::Args)]
pub struct LimitArgs {
    /// Largest request body the API accepts, in bytes (larger: 413).
    #[arg(
        long = "max-body-bytes",
        env = "DASHSTUDIO_MAX_BODY_BYTES",
        default_value_t = 16 * 1024 * 1024
    )]
    pub max_body_bytes: usize,

    /// Seconds an API request may run before it is answered 503; commits,
    /// pushes and fetches (which wait on the remote) are not cut short.
    #[arg(
        long = "request-timeout",
        env = "DASHSTUDIO_REQUEST_TIMEOUT",
        default_value_t = 30
    )]
    pub request_timeout_seconds: u64,

    /// Most YAML files one repository scan reads; the rest are reported.
    #[arg(
        long = "scan-max-files",
        env = "DASHSTUDIO_SCAN_MAX_FILES",
        default_value_t = ScanLimits::default().max_files
    )]
    pub scan_max_files: usize,

    /// Most bytes of YAML one repository scan reads; the rest are reported.
    #[arg(
        long = "scan-max-bytes",
        env = "DASHSTUDIO_SCAN_MAX_BYTES",
        default_value_t = ScanLimits::default().max_total_bytes
    )]
    pub scan_max_bytes: u64,
}

impl Default for LimitArgs {
    fn default() -> Self {
        Self {
            max_body_bytes: 16 * 1024 * 1024,
            request_timeout_seconds: 30,
            scan_max_files: ScanLimits::default().max_files,
            scan_max_bytes: ScanLimits::default().max_total_bytes,
        }
    }
}

impl LimitArgs {
    pub fn scan(&self) -> ScanLimits {
        ScanLimits {
            max_files: self.scan_max_files,
            max_total_bytes: self.scan_max_bytes,
        }
    }
}

#[derive(Debug, Clone, Default, clap::Args)]
pub struct GitConfig {
    /// Token for HTTPS remotes (sent as the password of HTTP basic auth).
    #[arg(
        id = "git_token",
        long = "git-token",
        env = "DASHSTUDIO_GIT_TOKEN",
        hide_env_values = true
    )]
    pub token: Option<String>,

    /// User name for HTTPS remotes with a token (default `x-access-token`) or SSH.
    #[arg(
        id = "git_username",
        long = "git-username",
        env = "DASHSTUDIO_GIT_USERNAME"
    )]
    pub username: Option<String>,

    /// Private key file for SSH remotes.
    #[arg(
        id = "git_ssh_key",
        long = "git-ssh-key",
        env = "DASHSTUDIO_GIT_SSH_KEY"
    )]
    pub ssh_key: Option<PathBuf>,

    /// Seconds between fetches from origin (0: only on demand).
    #[arg(
        long = "fetch-interval",
        env = "DASHSTUDIO_FETCH_INTERVAL",
        default_value_t = 60
    )]
    pub fetch_interval: u64,
}

/// How the studio writes.
#[derive(Debug, Clone, clap::Args)]
pub struct WriteConfig {
    /// The bootstrap admin (`Name <email>`; the username is the email's
    /// local part): owner of `--bootstrap-token`, and the author of its commits.
    /// Everyone else commits as themselves.
    #[arg(
        long = "author",
        env = "DASHSTUDIO_AUTHOR",
        default_value = "Dashboard Studio <studio@dashstudio.invalid>"
    )]
    pub author: String,

    /// Allow commits straight onto the default branch (otherwise every
    /// commit goes to a `studio/<user>/<slug>` branch).
    #[arg(long = "allow-direct-commit", env = "DASHSTUDIO_ALLOW_DIRECT_COMMIT")]
    pub allow_direct_commit: bool,
}

impl Default for WriteConfig {
    fn default() -> Self {
        Self {
            author: "Dashboard Studio <studio@dashstudio.invalid>".to_owned(),
            allow_direct_commit: false,
        }
    }
}

/// Where pull requests are opened.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct ForgeArgs {
    /// The forge hosting origin: `github` or `gitea` (also Forgejo).
    #[arg(id = "forge_kind", long = "forge", env = "DASHSTUDIO_FORGE")]
    pub kind: Option<String>,

    /// The forge's API root (GitHub: https://api.github.com; Gitea: https://host/api/v1).
    #[arg(
        id = "forge_api_url",
        long = "forge-api-url",
        env = "DASHSTUDIO_FORGE_API_URL"
    )]
    pub api_url: Option<String>,

    /// `owner/name` of the repository on the forge (inferred from origin when possible).
    #[arg(id = "forge_repo", long = "forge-repo", env = "DASHSTUDIO_FORGE_REPO")]
    pub repo: Option<String>,

    /// API token for the forge.
    #[arg(
        id = "forge_token",
        long = "forge-token",
        env = "DASHSTUDIO_FORGE_TOKEN",
        hide_env_values = true
    )]
    pub token: Option<String>,
}

#[cfg(test)]
mod tests {
    use clap::{CommandFactory, Parser};

    use super::*;

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn serve_flags_reach_their_fields() {
        let cli = Cli::parse_from([
            "dashstudio",
            "serve",
            "--repo",
            "https://example.org/acme/dash.git",
            "--git-token",
            "g",
            "--forge",
            "gitea",
            "--forge-repo",
            "acme/dash",
            "--forge-token",
            "f",
            "--author",
            "Ada <ada@example.org>",
            "--allow-direct-commit",
            "--fetch-interval",
            "0",
        ]);
        let Command::Serve(serve) = cli.command else {
            panic!("serve parses as serve");
        };
        assert_eq!(
            serve.repo.as_deref(),
            Some("https://example.org/acme/dash.git")
        );
        assert_eq!(serve.git.token.as_deref(), Some("g"));
        assert_eq!(serve.git.fetch_interval, 0);
        assert_eq!(serve.forge.kind.as_deref(), Some("gitea"));
        assert_eq!(serve.forge.repo.as_deref(), Some("acme/dash"));
        assert_eq!(serve.forge.token.as_deref(), Some("f"));
        assert_eq!(serve.write.author, "Ada <ada@example.org>");
        assert!(serve.write.allow_direct_commit);
    }
}
