-- The write path (issue 5): drafts, commits waiting for or done with their
-- push, and the audit log. Timestamps are UTC text (CURRENT_TIMESTAMP).

-- One user's pending change to one dashboard, kept until it reaches origin.
-- `kind`: 'edit' (an existing dashboard, possibly moved or renamed),
-- 'create' (a new file from a template) or 'delete'.
-- `base_commit`/`base_blob`: what the user started from (NULL for create).
-- `dashboard`: the edited Grafana JSON (NULL for delete).
-- `folder`: the target folder as {"folder"|"folderUID"|"folderRef": …} when moved.
-- `content`: the whole YAML file as it would be committed at `new_file`.
-- `commit_id`: set once committed locally; the draft stays until pushed.
CREATE TABLE drafts (
    id            INTEGER PRIMARY KEY,
    author        TEXT    NOT NULL,
    namespace     TEXT    NOT NULL,
    name          TEXT    NOT NULL,
    kind          TEXT    NOT NULL CHECK (kind IN ('edit', 'create', 'delete')),
    file          TEXT    NOT NULL,
    new_file      TEXT    NOT NULL,
    document      INTEGER NOT NULL DEFAULT 0,
    base_commit   TEXT,
    base_blob     TEXT,
    dashboard     TEXT,
    folder        TEXT,
    rename_to     TEXT,
    content       TEXT    NOT NULL,
    diagnostics   TEXT    NOT NULL DEFAULT '[]',
    revision      INTEGER NOT NULL DEFAULT 1,
    commit_id     TEXT,
    created_at    TEXT    NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at    TEXT    NOT NULL DEFAULT CURRENT_TIMESTAMP,
    UNIQUE (author, namespace, name)
);

-- Every commit the studio made, and where its push and pull request stand.
CREATE TABLE commits (
    id               INTEGER PRIMARY KEY,
    commit_id        TEXT    NOT NULL UNIQUE,
    branch           TEXT    NOT NULL,
    base_branch      TEXT    NOT NULL,
    author           TEXT    NOT NULL,
    message          TEXT    NOT NULL,
    pushed           INTEGER NOT NULL DEFAULT 0,
    push_attempts    INTEGER NOT NULL DEFAULT 0,
    last_error       TEXT,
    next_attempt_at  TEXT,
    pull_request     INTEGER NOT NULL DEFAULT 0,
    pull_request_url TEXT,
    summary          TEXT    NOT NULL DEFAULT '{}',
    created_at       TEXT    NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- Who did what, when: commits, pushes, pull requests, overrides, discards.
CREATE TABLE audit_log (
    id               INTEGER PRIMARY KEY,
    at               TEXT    NOT NULL DEFAULT CURRENT_TIMESTAMP,
    actor            TEXT    NOT NULL,
    action           TEXT    NOT NULL,
    target           TEXT,
    commit_id        TEXT,
    branch           TEXT,
    pull_request_url TEXT,
    details          TEXT    NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_at ON audit_log (at);
