//! Users, sessions and API tokens: the SQL behind sign-in. Secrets arrive
//! here already hashed; instants are unix seconds.

use super::Db;

/// A user as stored (the password hash stays in this module's callers'
/// hands only for verification).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct UserRow {
    pub username: String,
    pub name: String,
    pub email: String,
    pub role: String,
    pub password_hash: Option<String>,
    pub created_at: i64,
    /// JSON array of the folder titles an editor may change; `None`: all.
    pub folders: Option<String>,
}

/// An API token as stored.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct TokenRow {
    pub id: String,
    pub username: String,
    pub name: String,
    pub scope: String,
    pub created_at: i64,
    pub expires_at: Option<i64>,
    pub last_used_at: Option<i64>,
}

const USER_COLUMNS: &str = "username, name, email, role, password_hash, created_at, folders";
const TOKEN_COLUMNS: &str = "id, username, name, scope, created_at, expires_at, last_used_at";

pub async fn user(pool: &Db, username: &str) -> Result<Option<UserRow>, sqlx::Error> {
    sqlx::query_as::<_, UserRow>(&format!(
        "SELECT {USER_COLUMNS} FROM users WHERE username = $1"
    ))
    .bind(username)
    .fetch_optional(pool)
    .await
}

pub async fn users(pool: &Db) -> Result<Vec<UserRow>, sqlx::Error> {
    sqlx::query_as::<_, UserRow>(&format!(
        "SELECT {USER_COLUMNS} FROM users ORDER BY username"
    ))
    .fetch_all(pool)
    .await
}

/// Inserts a user; `Ok(false)` when the username is taken.
pub async fn insert_user(pool: &Db, user: &UserRow) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "INSERT INTO users (username, name, email, role, password_hash, created_at, folders)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (username) DO NOTHING",
    )
    .bind(&user.username)
    .bind(&user.name)
    .bind(&user.email)
    .bind(&user.role)
    .bind(&user.password_hash)
    .bind(user.created_at)
    .bind(&user.folders)
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Creates the user or updates its name, email and role (the password is
/// replaced only when `password_hash` is given).
pub async fn upsert_user(pool: &Db, user: &UserRow) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO users (username, name, email, role, password_hash, created_at, folders)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (username) DO UPDATE SET name = excluded.name, email = excluded.email,
             role = excluded.role, folders = excluded.folders,
             password_hash = COALESCE(excluded.password_hash, users.password_hash)",
    )
    .bind(&user.username)
    .bind(&user.name)
    .bind(&user.email)
    .bind(&user.role)
    .bind(&user.password_hash)
    .bind(user.created_at)
    .bind(&user.folders)
    .execute(pool)
    .await?;
    Ok(())
}

pub async fn insert_session(
    pool: &Db,
    id_hash: &str,
    username: &str,
    now: i64,
    expires_at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO sessions (id_hash, username, created_at, expires_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(id_hash)
    .bind(username)
    .bind(now)
    .bind(expires_at)
    .execute(pool)
    .await?;
    Ok(())
}

/// The user of an unexpired session.
pub async fn session_user(
    pool: &Db,
    id_hash: &str,
    now: i64,
) -> Result<Option<UserRow>, sqlx::Error> {
    sqlx::query_as::<_, UserRow>(
        "SELECT u.username, u.name, u.email, u.role, u.password_hash, u.created_at, u.folders
         FROM sessions s JOIN users u ON u.username = s.username
         WHERE s.id_hash = $1 AND s.expires_at > $2",
    )
    .bind(id_hash)
    .bind(now)
    .fetch_optional(pool)
    .await
}

pub async fn delete_session(pool: &Db, id_hash: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
        .bind(id_hash)
        .execute(pool)
        .await?;
    Ok(())
}

/// Forgets expired sessions.
pub async fn purge_sessions(pool: &Db, now: i64) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
        .bind(now)
        .execute(pool)
        .await?
        .rows_affected())
}

/// A new token, or (same `id`) a refreshed one with a new secret.
pub async fn upsert_token(
    pool: &Db,
    token: &TokenRow,
    secret_hash: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO api_tokens (id, secret_hash, username, name, scope, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (id) DO UPDATE SET secret_hash = excluded.secret_hash,
             username = excluded.username, name = excluded.name, scope = excluded.scope,
             expires_at = excluded.expires_at",
    )
    .bind(&token.id)
    .bind(secret_hash)
    .bind(&token.username)
    .bind(&token.name)
    .bind(&token.scope)
    .bind(token.created_at)
    .bind(token.expires_at)
    .execute(pool)
    .await?;
    Ok(())
}

/// The token with this secret hash and its owner, whether expired or not.
pub async fn token_by_secret(
    pool: &Db,
    secret_hash: &str,
) -> Result<Option<(TokenRow, UserRow)>, sqlx::Error> {
    let Some(token) = sqlx::query_as::<_, TokenRow>(&format!(
        "SELECT {TOKEN_COLUMNS} FROM api_tokens WHERE secret_hash = $1"
    ))
    .bind(secret_hash)
    .fetch_optional(pool)
    .await?
    else {
        return Ok(None);
    };
    Ok(user(pool, &token.username).await?.map(|u| (token, u)))
}

pub async fn touch_token(pool: &Db, id: &str, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE api_tokens SET last_used_at = $2 WHERE id = $1")
        .bind(id)
        .bind(now)
        .execute(pool)
        .await?;
    Ok(())
}

pub async fn token(pool: &Db, id: &str) -> Result<Option<TokenRow>, sqlx::Error> {
    sqlx::query_as::<_, TokenRow>(&format!(
        "SELECT {TOKEN_COLUMNS} FROM api_tokens WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(pool)
    .await
}

/// Tokens of one user, or of everyone (`None`), newest first.
pub async fn tokens(pool: &Db, username: Option<&str>) -> Result<Vec<TokenRow>, sqlx::Error> {
    sqlx::query_as::<_, TokenRow>(&format!(
        "SELECT {TOKEN_COLUMNS} FROM api_tokens WHERE $1 IS NULL OR username = $1
         ORDER BY created_at DESC, id"
    ))
    .bind(username)
    .fetch_all(pool)
    .await
}

pub async fn delete_token(pool: &Db, id: &str) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query("DELETE FROM api_tokens WHERE id = $1")
        .bind(id)
        .execute(pool)
        .await?
        .rows_affected()
        == 1)
}
