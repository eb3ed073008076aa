-- 025: on SQLite a deleted message's id is never given to a new one.
--
-- The housekeeping deletes delivered mail after MAIL_KEEP_DAYS (024); with a
-- plain INTEGER PRIMARY KEY the next message could then take a deleted id,
-- and an address such as /admin/outbox/ID kept from before would open
-- another message.  mail_queue is rebuilt with AUTOINCREMENT, as 023 did for
-- the tables the audit log names; nothing refers to it by a foreign key.
-- PostgreSQL's identity columns never reuse a value.
--@sqlite
CREATE TABLE mail_queue_new (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
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
    last_error  TEXT,
    redacted_at BIGINT
);
INSERT INTO mail_queue_new (id, created_at, to_addr, subject, body, headers, message_id, kind, status, attempts,
                            next_attempt_at, claimed_at, sent_at, last_error, redacted_at)
    SELECT id, created_at, to_addr, subject, body, headers, message_id, kind, status, attempts,
           next_attempt_at, claimed_at, sent_at, last_error, redacted_at FROM mail_queue;
DROP TABLE mail_queue;
ALTER TABLE mail_queue_new RENAME TO mail_queue;
CREATE INDEX mail_queue_due ON mail_queue (status, next_attempt_at);
INSERT INTO sqlite_sequence (name, seq) SELECT 'mail_queue', COALESCE((SELECT MAX(id) FROM mail_queue), 0)
    WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'mail_queue');
--@end
