-- Per-folder restrictions (issue 7): the folder titles an editor may change,
-- as a JSON array of strings; NULL: every folder. Admins are never restricted.
ALTER TABLE users ADD COLUMN folders TEXT;
