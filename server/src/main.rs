//! `dashstudio`: wiring only. Parses the command line, sets up logging and
//! runs the chosen command.

use clap::Parser;
use eyre::WrapErr;
use tracing_subscriber::EnvFilter;

use dashstudio_server::config::{Cli, Command, UserCommand};
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
            let state = serve::prepare(&config).await?;
            let listener = tokio::net::TcpListener::bind(config.listen)
                .await
                .wrap_err_with(|| format!("cannot listen on {}", config.listen))?;
            let addr = listener.local_addr()?;
            dashstudio_server::service::background::spawn(state.clone());
            let app = router::build_with(state, (&config.limits).into());
            println!("Dashboard Studio listening on http://{addr}");
            axum::serve(
                listener,
                app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
            )
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
            .wrap_err("the server stopped")?;
        }
    }
    Ok(())
}
