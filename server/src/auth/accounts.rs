//! Accounts as a service: users, sign-in and sessions, API tokens, the
//! bootstrap token and the demo's admin. The API handlers, the CLI and
//! `serve` call these; SQL stays in `db::users`.

use std::path::Path;

use crate::db::Db;
use serde::{Deserialize, Serialize};

use super::secret::{decoy_hash, hash_password, random_hex, sha256_hex, verify_password};
use super::{now, Caller, Role, Scope, Via};
use crate::db::users::{self as store, TokenRow, UserRow};
use crate::error::ApiError;
use crate::service::Actor;

/// Shortest password accepted.
pub const MIN_PASSWORD: usize = 8;
/// The prefix of every API token (recognisable in secret scanners).
pub const TOKEN_PREFIX: &str = "dst_";
/// The id of the token `DASHSTUDIO_BOOTSTRAP_TOKEN` sets.
pub const BOOTSTRAP_TOKEN_ID: &str = "bootstrap";

/// A user as the API shows it (never the password hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UserView {
    pub username: String,
    pub name: String,
    pub email: String,
    pub role: Role,
    /// The folders an editor may change (absent: every folder).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub folders: Option<Vec<String>>,
}

impl UserView {
    pub fn of(row: &UserRow) -> Self {
        UserView {
            username: row.username.clone(),
            name: row.name.clone(),
            email: row.email.clone(),
            role: Role::parse(&row.role).unwrap_or(Role::Viewer),
            folders: folders_of(row),
        }
    }
}

/// A token as the API lists it (never the secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TokenView {
    pub id: String,
    pub username: String,
    pub name: String,
    pub scope: Scope,
    pub created_at: i64,
    pub expires_at: Option<i64>,
    pub last_used_at: Option<i64>,
}

impl TokenView {
    pub fn of(row: &TokenRow) -> Self {
        TokenView {
            id: row.id.clone(),
            username: row.username.clone(),
            name: row.name.clone(),
            scope: Scope::parse(&row.scope).unwrap_or(Scope::Read),
            created_at: row.created_at,
            expires_at: row.expires_at,
            last_used_at: row.last_used_at,
        }
    }
}

/// The body of `POST /api/v1/users` (and what `dashstudio user add` builds).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewUser {
    pub username: String,
    pub role: Role,
    pub password: String,
    /// Display name for commits (default: the username).
    #[serde(default)]
    pub name: Option<String>,
    /// Email for commits (default: `<username>@dashstudio.invalid`).
    #[serde(default)]
    pub email: Option<String>,
    /// For an editor: the folder titles they may change (default: every folder).
    #[serde(default)]
    pub folders: Option<Vec<String>>,
}

/// The actor a stored user acts as. The username is the actor's key (drafts
/// and `studio/<user>/…` branches); usernames are already branch-safe.
pub fn actor_of(user: &UserRow) -> Actor {
    Actor::new(
        &user.username,
        &user.name,
        &user.email,
        Role::parse(&user.role).unwrap_or(Role::Viewer),
    )
    .with_folders(folders_of(user))
}

/// A stored user's folder restriction. Unreadable text restricts to no
/// folder at all rather than lifting the restriction.
fn folders_of(user: &UserRow) -> Option<Vec<String>> {
    let text = user.folders.as_deref()?;
    Some(serde_json::from_str(text).unwrap_or_default())
}

/// `a-z`, `0-9` and `-`, starting with a letter or digit, at most 32.
pub fn check_username(username: &str) -> Result<(), ApiError> {
    let ok = !username.is_empty()
        && username.len() <= 32
        && username
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !username.starts_with('-');
    if ok {
        Ok(())
    } else {
        Err(ApiError::BadRequest(format!(
            "username {username:?} must be 1 to 32 characters of a-z, 0-9 and `-`, not starting with `-`"
        )))
    }
}

/// Creates a user (409 when the username is taken).
pub async fn create_user(db: &Db, new: NewUser) -> Result<UserView, ApiError> {
    check_username(&new.username)?;
    if new.role == Role::Anonymous {
        return Err(ApiError::BadRequest(
            "`role` must be viewer, editor or admin".to_owned(),
        ));
    }
    if new.password.chars().count() < MIN_PASSWORD {
        return Err(ApiError::BadRequest(format!(
            "the password must have at least {MIN_PASSWORD} characters"
        )));
    }
    let name = new
        .name
        .map(|n| n.trim().to_owned())
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| new.username.clone());
    let email = new
        .email
        .map(|e| e.trim().to_owned())
        .filter(|e| !e.is_empty())
        .unwrap_or_else(|| format!("{}@dashstudio.invalid", new.username));
    if !email.contains('@')
        || email.contains(['<', '>', ' ', '\n'])
        || name.contains(['<', '>', '\n'])
    {
        return Err(ApiError::BadRequest(
            "`name` must not contain <, > or newlines and `email` must be an address".to_owned(),
        ));
    }
    let folders =
        match new.folders {
            Some(_) if new.role != Role::Editor => return Err(ApiError::BadRequest(
                "`folders` restricts editors only: viewers change nothing and admins everything"
                    .to_owned(),
            )),
            Some(list) => {
                let list: Vec<String> = list.iter().map(|f| f.trim().to_owned()).collect();
                if list.iter().any(String::is_empty) {
                    return Err(ApiError::BadRequest(
                        "`folders` holds an empty folder title".to_owned(),
                    ));
                }
                Some(serde_json::to_string(&list).map_err(|e| ApiError::Internal(e.to_string()))?)
            }
            None => None,
        };
    let password = new.password;
    let hash = tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|e| ApiError::Internal(format!("hashing task: {e}")))?
        .map_err(ApiError::Internal)?;
    let row = UserRow {
        username: new.username,
        name,
        email,
        role: new.role.as_str().to_owned(),
        password_hash: Some(hash),
        created_at: now(),
        folders,
    };
    if !store::insert_user(db, &row).await? {
        return Err(ApiError::conflict(format!(
            "a user named {} already exists",
            row.username
        )));
    }
    Ok(UserView::of(&row))
}

/// Checks a username and password; on success opens a session and returns
/// its cookie value (shown once, stored hashed) and the user. Wrong
/// credentials are one 401, whichever part was wrong.
pub async fn sign_in(
    db: &Db,
    username: &str,
    password: &str,
    session_seconds: i64,
) -> Result<(String, UserRow), ApiError> {
    let user = store::user(db, username).await?;
    let phc = user
        .as_ref()
        .and_then(|u| u.password_hash.clone())
        .unwrap_or_else(|| decoy_hash().to_owned());
    let password = password.to_owned();
    let matches = tokio::task::spawn_blocking(move || verify_password(&password, &phc))
        .await
        .map_err(|e| ApiError::Internal(format!("verify task: {e}")))?;
    let user = match user {
        Some(u) if matches && u.password_hash.is_some() => u,
        _ => {
            return Err(ApiError::Unauthorized(
                "wrong username or password".to_owned(),
            ))
        }
    };
    let value = open_session(db, &user.username, session_seconds).await?;
    Ok((value, user))
}

/// Opens a session for `username`; returns the cookie's value (shown once,
/// stored hashed).
async fn open_session(db: &Db, username: &str, session_seconds: i64) -> Result<String, ApiError> {
    let value = random_hex(32);
    let at = now();
    store::insert_session(db, &sha256_hex(&value), username, at, at + session_seconds).await?;
    let _ = store::purge_sessions(db, at).await;
    Ok(value)
}

/// Who an external identity provider (OpenID Connect: Keycloak, Dex,
/// Entra ID…) says signed in, once its ID token was verified and its claims
/// mapped (`preferred_username`, `name`, `email`, and a role from groups).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExternalIdentity {
    pub username: String,
    pub name: String,
    pub email: String,
    pub role: Role,
    /// For an editor: the folders the provider's groups allow (`None`: all).
    pub folders: Option<Vec<String>>,
}

/// The seam for single sign-on: signs in an identity a provider vouched
/// for. The user is created, or updated to what the provider says now
/// (name, email, role, folders), without a password: such a user can only
/// sign in through the provider (or with tokens). A local user that has a
/// password is never taken over by a provider identity of the same name.
pub async fn sign_in_external(
    db: &Db,
    identity: ExternalIdentity,
    session_seconds: i64,
) -> Result<(String, UserRow), ApiError> {
    check_username(&identity.username)?;
    if identity.role == Role::Anonymous {
        return Err(ApiError::Forbidden(format!(
            "the identity provider gives {} no role here",
            identity.username
        )));
    }
    if let Some(local) = store::user(db, &identity.username).await? {
        if local.password_hash.is_some() {
            return Err(ApiError::conflict(format!(
                "{} is a local user with a password; an identity provider cannot sign in as them",
                identity.username
            )));
        }
    }
    let folders = identity
        .folders
        .filter(|_| identity.role == Role::Editor)
        .map(|f| serde_json::to_string(&f))
        .transpose()
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    let row = UserRow {
        username: identity.username,
        name: identity.name,
        email: identity.email,
        role: identity.role.as_str().to_owned(),
        password_hash: None,
        created_at: now(),
        folders,
    };
    store::upsert_user(db, &row).await?;
    let value = open_session(db, &row.username, session_seconds).await?;
    Ok((value, row))
}

/// The actor of a session cookie's value, when the session is still valid.
pub async fn session_actor(db: &Db, value: &str) -> Result<Option<Actor>, ApiError> {
    Ok(store::session_user(db, &sha256_hex(value), now())
        .await?
        .map(|u| actor_of(&u)))
}

pub async fn sign_out(db: &Db, value: &str) -> Result<(), ApiError> {
    store::delete_session(db, &sha256_hex(value)).await?;
    Ok(())
}

/// The caller a bearer token stands for, and when the token expires: 401
/// when it is unknown or expired.
pub async fn token_caller(db: &Db, token: &str) -> Result<(Caller, Option<i64>), ApiError> {
    let Some((row, user)) = store::token_by_secret(db, &sha256_hex(token)).await? else {
        return Err(ApiError::Unauthorized(
            "the bearer token is not valid (unknown or revoked)".to_owned(),
        ));
    };
    let at = now();
    if row.expires_at.is_some_and(|e| e <= at) {
        return Err(ApiError::Unauthorized(format!(
            "the bearer token {} has expired; create a new one",
            row.id
        )));
    }
    if row.last_used_at.is_none_or(|t| at - t >= 60) {
        store::touch_token(db, &row.id, at).await?;
    }
    let caller = Caller {
        actor: Some(actor_of(&user)),
        scope: Scope::parse(&row.scope).unwrap_or(Scope::Read),
        via: Via::Token { id: row.id },
    };
    Ok((caller, row.expires_at))
}

/// Creates a token for `username`; returns it and its secret (shown once).
pub async fn create_token(
    db: &Db,
    username: &str,
    name: &str,
    scope: Scope,
    expires_at: Option<i64>,
) -> Result<(TokenView, String), ApiError> {
    let row = TokenRow {
        id: random_hex(6),
        username: username.to_owned(),
        name: name.to_owned(),
        scope: scope.as_str().to_owned(),
        created_at: now(),
        expires_at,
        last_used_at: None,
    };
    let secret = format!("{TOKEN_PREFIX}{}", random_hex(32));
    store::upsert_token(db, &row, &sha256_hex(&secret)).await?;
    Ok((TokenView::of(&row), secret))
}

/// `DASHSTUDIO_BOOTSTRAP_TOKEN`: makes `value` an admin write token that
/// never expires, owned by the `--author` (created as an admin without a
/// password, or made admin). Run at every start: a changed value replaces
/// the old one.
pub async fn bootstrap(db: &Db, author: &Actor, value: &str) -> Result<(), ApiError> {
    if value.chars().count() < 16 {
        return Err(ApiError::BadRequest(
            "DASHSTUDIO_BOOTSTRAP_TOKEN must have at least 16 characters".to_owned(),
        ));
    }
    check_username(&author.key)?;
    store::upsert_user(
        db,
        &UserRow {
            username: author.key.clone(),
            name: author.name.clone(),
            email: author.email.clone(),
            role: Role::Admin.as_str().to_owned(),
            password_hash: None,
            created_at: now(),
            folders: None,
        },
    )
    .await?;
    let row = TokenRow {
        id: BOOTSTRAP_TOKEN_ID.to_owned(),
        username: author.key.clone(),
        name: "bootstrap (DASHSTUDIO_BOOTSTRAP_TOKEN)".to_owned(),
        scope: Scope::Write.as_str().to_owned(),
        created_at: now(),
        expires_at: None,
        last_used_at: None,
    };
    store::upsert_token(db, &row, &sha256_hex(value)).await?;
    Ok(())
}

/// The demo's first admin: `admin` with a random password, created once.
/// The password is written to `<data dir>/demo-admin-password` (readable by
/// the owner only) and returned the one time it is created; the sign-in
/// page's hint says where to find it.
pub async fn ensure_demo_admin(
    db: &Db,
    data_dir: &Path,
) -> Result<(Option<String>, String), ApiError> {
    let file = data_dir.join("demo-admin-password");
    let hint = format!(
        "This is the demo. Sign in as admin with the password printed in the server's log at its first start, also kept in {}.",
        file.display()
    );
    if store::user(db, "admin").await?.is_some() {
        return Ok((None, hint));
    }
    let password = random_hex(9);
    write_private(&file, &password)
        .map_err(|e| ApiError::Internal(format!("writing {}: {e}", file.display())))?;
    create_user(
        db,
        NewUser {
            username: "admin".to_owned(),
            role: Role::Admin,
            password: password.clone(),
            name: Some("Demo Admin".to_owned()),
            email: Some("admin@demo.dashstudio.invalid".to_owned()),
            folders: None,
        },
    )
    .await?;
    Ok((Some(password), hint))
}

fn write_private(file: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut f = options.open(file)?;
    writeln!(f, "{text}")
}
