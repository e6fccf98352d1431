//! `dashstudio user add`: create a user in the data dir's database before
//! the first start (the password comes from standard input, never argv).

use std::io::BufRead;

use eyre::WrapErr;

use crate::auth::accounts::{self, NewUser};
use crate::auth::Role;
use crate::config::UserAddConfig;
use crate::db;

pub async fn add(config: &UserAddConfig) -> eyre::Result<()> {
    let role = Role::parse(&config.role)
        .ok_or_else(|| eyre::eyre!("--role must be viewer, editor or admin"))?;
    let mut password = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut password)
        .wrap_err("reading the password from standard input")?;
    let password = password.trim_end_matches(['\n', '\r']).to_owned();
    std::fs::create_dir_all(&config.data_dir)
        .wrap_err_with(|| format!("creating the data dir {}", config.data_dir.display()))?;
    let pool = db::open(&config.data_dir, config.database_url.as_deref())
        .await
        .wrap_err_with(|| {
            format!(
                "opening the database {}",
                db::describe(&config.data_dir, config.database_url.as_deref())
            )
        })?;
    let user = accounts::create_user(
        &pool,
        NewUser {
            username: config.username.clone(),
            role,
            password,
            name: config.name.clone(),
            email: config.email.clone(),
            folders: (!config.folders.is_empty()).then(|| config.folders.clone()),
        },
    )
    .await
    .map_err(|e| eyre::eyre!("{e}"))?;
    println!(
        "created {} ({}) as {} <{}>",
        user.username,
        user.role.as_str(),
        user.name,
        user.email
    );
    Ok(())
}
