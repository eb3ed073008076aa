-- 021: a session also ends after a time without use (the server's
-- --session-idle, 8 hours by default), not only 14 days after login.
--
-- seen_at: when the session was last used (Unix seconds), written at most
-- once a minute per session; NULL for sessions made before this migration,
-- which count from created_at.
ALTER TABLE user_session ADD COLUMN seen_at BIGINT;
