-- 005: portal accounts — sessions, single-use links, rate limits, the
-- audit log and the persistent mail queue.  Times in these tables are
-- Unix seconds (BIGINT), so both backends compare them the same way.

-- status: 'pending' until the e-mail address is confirmed, then 'active';
-- an account deleted by its owner is removed (its audit entries keep the id).
-- org_id: the organisation an editor edits; cluster_id: the cluster a
-- coordinator manages.
ALTER TABLE app_user ADD COLUMN status TEXT NOT NULL DEFAULT 'active';
ALTER TABLE app_user ADD COLUMN org_id BIGINT REFERENCES organisation(id) ON DELETE SET NULL;
ALTER TABLE app_user ADD COLUMN cluster_id BIGINT REFERENCES cluster(id) ON DELETE SET NULL;
ALTER TABLE app_user ADD COLUMN lang TEXT;

-- Login sessions: the cookie holds a random token, the table its hash.
CREATE TABLE user_session (
    token_hash  TEXT PRIMARY KEY,
    user_id     BIGINT NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL,
    ip          TEXT
);
CREATE INDEX user_session_user ON user_session (user_id);

-- Single-use links sent by e-mail (kind: confirm, reset, …): only the
-- hash of the token is kept; used_at is set when it is spent.
CREATE TABLE auth_token (
    token_hash  TEXT PRIMARY KEY,
    kind        TEXT NOT NULL,
    user_id     BIGINT REFERENCES app_user(id) ON DELETE CASCADE,
    subject     TEXT,
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL,
    used_at     BIGINT
);
CREATE INDEX auth_token_user ON auth_token (user_id, kind);

-- Fixed-window counters for rate limits (key e.g. "login-ip:127.0.0.1").
CREATE TABLE rate_limit (
    rkey        TEXT NOT NULL,
    window_start BIGINT NOT NULL,
    hits        BIGINT NOT NULL,
    PRIMARY KEY (rkey, window_start)
);

-- Who changed what.  user_id is kept as a number (no foreign key) so the
-- record outlives a deleted account.
CREATE TABLE audit_log (
    id          @PK@,
    at          BIGINT NOT NULL,
    user_id     BIGINT,
    ip          TEXT,
    action      TEXT NOT NULL,
    object_type TEXT,
    object_id   BIGINT,
    detail      TEXT
);
CREATE INDEX audit_log_at ON audit_log (at);

-- Settings the servers on one database share (the CSRF key).
CREATE TABLE app_secret (
    name        TEXT PRIMARY KEY,
    value       TEXT NOT NULL
);

-- Every e-mail the portal sends.  status: queued → sending → sent (SMTP)
-- or outbox (no SMTP server configured: kept for the administrator to
-- read); failed after the last retry.  A message claimed by a server that
-- died is queued again when its lease (claimed_at) runs out.
CREATE TABLE mail_queue (
    id          @PK@,
    created_at  BIGINT NOT NULL,
    to_addr     TEXT NOT NULL,
    subject     TEXT NOT NULL,
    body        TEXT NOT NULL,
    headers     TEXT,
    message_id  TEXT NOT NULL UNIQUE,
    kind        TEXT NOT NULL,
    status      TEXT NOT NULL DEFAULT 'queued'
                CHECK (status IN ('queued', 'sending', 'sent', 'outbox', 'failed')),
    attempts    INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    claimed_at  BIGINT,
    sent_at     BIGINT,
    last_error  TEXT
);
CREATE INDEX mail_queue_due ON mail_queue (status, next_attempt_at);
