//! `dashstudio`: wiring only. Parses the command line, sets up logging and
//! runs the chosen command.

use clap::Parser;
use eyre::WrapErr;
use tracing_subscriber::EnvFilter;

use dashstudio_server::config::{Cli, Command, UserCommand};
use std::sync::{Arc, OnceLock};

use dashstudio_server::startup::{self, Startup};
use dashstudio_server::{cli, router, serve};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> eyre::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| EnvFilter::new("info,tower_http=info")),
        )
        .with_writer(std::io::stderr)
        .init();
    match Cli::parse().command {
        Command::Validate(config) => std::process::exit(cli::validate::run(&config)),
        Command::User(UserCommand::Add(config)) => cli::user::add(&config).await?,
        Command::Serve(config) => {
            // Listen at once: while the repository is cloned and read, every
            // request gets a 503 with the progress (startup.rs). "listening
            // on" is printed once the studio answers for real.
            let listener = tokio::net::TcpListener::bind(config.listen)
                .await
                .wrap_err_with(|| format!("cannot listen on {}", config.listen))?;
            let addr = listener.local_addr()?;
            let startup = Startup::default();
            let app = Arc::new(OnceLock::new());
            let front = startup::front(startup.clone(), Arc::clone(&app));
            let mut server = tokio::spawn(async move {
                axum::serve(
                    listener,
                    front.into_make_service_with_connect_info::<std::net::SocketAddr>(),
                )
                .with_graceful_shutdown(async {
                    let _ = tokio::signal::ctrl_c().await;
                })
                .await
            });
            println!("Dashboard Studio starting on http://{addr}");
            // Ctrl-C while starting stops the server task: stop starting too.
            let state = tokio::select! {
                state = serve::prepare_reporting(&config, &startup) => state?,
                stopped = &mut server => {
                    stopped.wrap_err("the server stopped")?.wrap_err("the server stopped")?;
                    return Ok(());
                }
            };
            dashstudio_server::service::background::spawn(state.clone());
            let _ = app.set(router::build_with(state, (&config.limits).into()));
            println!("Dashboard Studio listening on http://{addr}");
            server
                .await
                .wrap_err("the server stopped")?
                .wrap_err("the server stopped")?;
        }
    }
    Ok(())
}
