-- Repositories the studio has opened, one row per location.
-- `location` is a local path or a remote URL with any credentials stripped;
-- `kind` says whether it is a Git working tree (writable later) or a plain
-- directory (browse and validate only); `head` is the commit last scanned.
CREATE TABLE repositories (
    id              INTEGER PRIMARY KEY,
    location        TEXT    NOT NULL UNIQUE,
    kind            TEXT    NOT NULL CHECK (kind IN ('git', 'directory')),
    head            TEXT,
    dashboards      INTEGER NOT NULL DEFAULT 0,
    first_opened_at TEXT    NOT NULL DEFAULT CURRENT_TIMESTAMP,
    last_scanned_at TEXT    NOT NULL DEFAULT CURRENT_TIMESTAMP
);
