//! `dashstudio serve`: open the repository (or create the demo), clone it
//! into the data dir when it is a Git repository, read it, record it in the
//! database, and build the application state.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};

use eyre::WrapErr;
use leptos::prelude::LeptosOptions;

use std::time::Duration;

use crate::auth::limit::Limiter;
use crate::auth::{accounts, AuthSettings};
use crate::config::{ForgeArgs, ServeConfig};
use crate::forge::{self, Forge};
use crate::git::{Credentials, Source, Workspace};
use crate::service::snapshot::Snapshot;
use crate::service::{slug, Actor, Writer};
use crate::startup::{Phase, Startup};
use crate::state::{App, AppState, Repo, RepoKind};
use crate::{db, demo, git};

/// Everything `serve` needs before it answers.
pub async fn prepare(config: &ServeConfig) -> eyre::Result<AppState> {
    prepare_reporting(config, &Startup::default()).await
}

/// [`prepare`], telling `startup` which step it is at (the clone with its
/// progress), for what the server answers meanwhile.
pub async fn prepare_reporting(config: &ServeConfig, startup: &Startup) -> eyre::Result<AppState> {
    std::fs::create_dir_all(&config.data_dir)
        .wrap_err_with(|| format!("creating the data dir {}", config.data_dir.display()))?;
    let actor = Actor::parse(&config.write.author).map_err(|e| eyre::eyre!(e))?;
    let input = match &config.repo {
        Some(r) => r.clone(),
        None => demo::ensure_origin(&config.data_dir)?.display().to_string(),
    };
    let local = Path::new(&input);
    let remote_like = input.contains("://") || (input.contains('@') && input.contains(':'));
    let looks_local = !remote_like;
    if looks_local && !local.exists() {
        eyre::bail!("the repository {input} cannot be opened: no such file or directory");
    }
    let plain_directory = !input.contains("://")
        && local.is_dir()
        && !git::is_work_tree(local)
        && !local.join("HEAD").is_file();
    let creds = Credentials {
        token: config.git.token.clone(),
        ssh_key: config.git.ssh_key.clone(),
        username: config.git.username.clone(),
    };

    let (repo, writer, head) = if plain_directory {
        let path = std::fs::canonicalize(local)
            .wrap_err_with(|| format!("the repository {input} cannot be opened"))?;
        let repo = Repo {
            source: path.display().to_string(),
            path,
            kind: RepoKind::Directory,
        };
        (repo, None, None)
    } else {
        let source = Source::parse(&input).map_err(|e| eyre::eyre!("--repo: {e}"))?;
        let clones = config.data_dir.join("clones");
        std::fs::create_dir_all(&clones)
            .wrap_err_with(|| format!("creating {}", clones.display()))?;
        let dir = clones.join(clone_dir_name(&source));
        let shown = source.to_string();
        let workspace =
            open_clone(source.clone(), dir.clone(), creds.clone(), startup.clone()).await?;
        let head = workspace
            .head()
            .map_err(|e| eyre::eyre!("{e}"))?
            .to_string();
        let root = std::fs::canonicalize(&dir)
            .wrap_err_with(|| format!("the clone {} cannot be opened", dir.display()))?;
        let forge = build_forge(&config.forge, source.url())?;
        let writer = Writer {
            git: Arc::new(Mutex::new(workspace)),
            creds: creds.clone(),
            forge,
            config: config.write.clone(),
            root: root.clone(),
            commit_lock: tokio::sync::Mutex::new(()),
            fetch_lock: tokio::sync::Mutex::new(()),
            fetch_interval_seconds: config.git.fetch_interval,
        };
        let repo = Repo {
            source: shown,
            path: root,
            kind: RepoKind::Git,
        };
        (repo, Some(writer), Some(head))
    };

    startup.set(Phase::Scanning);
    let scan_path = repo.path.clone();
    let started = std::time::Instant::now();
    let scan_head = head.clone();
    let limits = config.limits.scan();
    let snapshot =
        tokio::task::spawn_blocking(move || Snapshot::read_limited(&scan_path, scan_head, limits))
            .await
            .wrap_err("the scanner stopped unexpectedly")??;
    let index = Arc::clone(&snapshot.index);
    tracing::info!(
        repo = %repo.source,
        kind = repo.kind.as_str(),
        files = index.files,
        dashboards = index.dashboards.len(),
        broken = index.broken().count(),
        unreadable = index.problems.len(),
        elapsed_ms = started.elapsed().as_millis() as u64,
        "repository scanned"
    );

    startup.set(Phase::Opening);
    let pool = db::open(&config.data_dir, config.database_url.as_deref())
        .await
        .wrap_err_with(|| {
            format!(
                "opening the database {}",
                db::describe(&config.data_dir, config.database_url.as_deref())
            )
        })?;
    db::record_scan(
        &pool,
        &repo.source,
        repo.kind.as_str(),
        head.as_deref(),
        index.dashboards.len() as i64,
    )
    .await
    .wrap_err("recording the repository in the database")?;

    let auth = prepare_auth(config, &pool, &actor).await?;

    let site_root = config.site_root.display().to_string();
    if !config.site_root.join("pkg").is_dir() {
        tracing::warn!(
            site_root,
            "no built site found: pages render without styles and hydration (run `make build`)"
        );
    }
    let leptos = LeptosOptions::builder()
        .output_name("dashstudio")
        .site_root(site_root)
        .site_pkg_dir("pkg")
        .site_addr(config.listen)
        .build();
    Ok(AppState(Arc::new(App {
        repo,
        snapshot: RwLock::new(Arc::new(snapshot)),
        writer,
        auth,
        sign_in_limit: Limiter::new(config.auth.sign_in_limit, Duration::from_secs(60)),
        token_limit: Limiter::new(config.auth.sign_in_limit, Duration::from_secs(60)),
        external_datasources: config.external_datasources.clone(),
        db: pool,
        callers: Default::default(),
        leptos,
        metrics: Default::default(),
    })))
}

/// Sign-in settings; the bootstrap token; the demo's admin (its password is
/// printed this once, when it is created).
async fn prepare_auth(
    config: &ServeConfig,
    pool: &db::Db,
    author: &Actor,
) -> eyre::Result<AuthSettings> {
    if let Some(token) = &config.auth.bootstrap_token {
        accounts::bootstrap(pool, author, token)
            .await
            .map_err(|e| eyre::eyre!("DASHSTUDIO_BOOTSTRAP_TOKEN: {e}"))?;
        tracing::info!(user = %author.key, "bootstrap admin token set");
    }
    let sign_in_hint = if config.repo.is_none() {
        let (created, hint) = accounts::ensure_demo_admin(pool, &config.data_dir)
            .await
            .map_err(|e| eyre::eyre!("creating the demo admin: {e}"))?;
        match created {
            // The one-time notice for the generated demo: its admin's password.
            Some(password) => println!(
                "Demo sign-in: user `admin`, password `{password}` (kept in {})",
                config.data_dir.join("demo-admin-password").display()
            ),
            None => println!("Demo sign-in: {hint}"),
        }
        Some(hint)
    } else {
        None
    };
    Ok(AuthSettings {
        anonymous_read: config.auth.anonymous_read,
        session_seconds: i64::from(config.auth.session_hours.max(1)) * 3600,
        cookie_secure: config.auth.cookie_secure,
        sign_in_hint,
    })
}

/// The clone's directory name: readable, and distinct per source.
fn clone_dir_name(source: &Source) -> String {
    let url = source.url();
    let hash = url.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    let tail = url
        .trim_end_matches('/')
        .trim_end_matches(".git")
        .rsplit(['/', ':'])
        .next()
        .unwrap_or("repo");
    format!("{}-{:08x}", slug(tail, 40), hash as u32)
}

/// Clone (or reopen) off the runtime, reporting progress to `startup` and
/// logging it about once a second.
async fn open_clone(
    source: Source,
    dir: PathBuf,
    creds: Credentials,
    startup: Startup,
) -> eyre::Result<Workspace> {
    let shown = source.to_string();
    tokio::task::spawn_blocking(move || {
        let mut last = std::time::Instant::now();
        startup.set(Phase::Cloning(git::Progress::default()));
        let mut progress = |p: git::Progress| {
            startup.set(Phase::Cloning(p));
            if last.elapsed().as_secs() >= 1 {
                last = std::time::Instant::now();
                tracing::info!(
                    objects = p.received_objects,
                    total = p.total_objects,
                    bytes = p.received_bytes,
                    "cloning"
                );
            }
        };
        Workspace::open_or_clone(&source, &dir, &creds, &mut progress)
    })
    .await
    .wrap_err("the clone stopped unexpectedly")?
    .map_err(|e| eyre::eyre!("cloning {shown}: {e}"))
}

/// The pull request provider, when one is configured.
fn build_forge(args: &ForgeArgs, remote_url: &str) -> eyre::Result<Option<Arc<dyn Forge>>> {
    if args.kind.is_none() && args.token.is_none() {
        return Ok(None);
    }
    let kind = args
        .kind
        .as_deref()
        .map(str::parse)
        .transpose()
        .map_err(|e| eyre::eyre!("--forge: {e}"))?;
    let (owner, repo) = match args.repo.as_deref() {
        Some(r) => {
            let (o, n) = r
                .split_once('/')
                .ok_or_else(|| eyre::eyre!("--forge-repo {r:?} must be owner/name"))?;
            (Some(o.to_owned()), Some(n.to_owned()))
        }
        None => (None, None),
    };
    let settings = forge::ForgeSettings {
        kind,
        api_url: args.api_url.clone(),
        owner,
        repo,
        token: args.token.clone().map(forge::Secret::new),
        timeout: None,
    };
    let config = settings
        .resolve(Some(remote_url))
        .map_err(|e| eyre::eyre!("pull requests: {e}"))?;
    Ok(Some(
        forge::build(config).map_err(|e| eyre::eyre!("pull requests: {e}"))?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clone_dirs_are_named_after_the_repository() {
        let a = Source::parse("https://github.com/acme/dashboards.git").expect("url");
        let b = Source::parse("https://gitea.example/acme/dashboards.git").expect("url");
        let name = clone_dir_name(&a);
        assert!(name.starts_with("dashboards-"), "{name}");
        assert_ne!(name, clone_dir_name(&b));
        assert!(matches!(a.transport(), crate::git::Transport::Http));
    }
}
