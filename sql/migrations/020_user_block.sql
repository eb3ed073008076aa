-- 020: an administrator can block an account, and read the audit log by
-- filters and pages.
--
-- blocked_at: when an administrator blocked the account (Unix seconds), NULL
-- when it is not blocked.  A blocked account keeps its status (pending or
-- active), role and data, but cannot log in, its sessions and API tokens are
-- refused and its e-mail links cannot be used; unblocking gives it back as
-- it was.  A column of its own rather than a status, so that unblocking an
-- account whose address was never confirmed does not confirm it.
ALTER TABLE app_user ADD COLUMN blocked_at BIGINT;

-- The audit log's filters (action, acting user, object), each read newest
-- first; the date range uses audit_log_at (005).
CREATE INDEX audit_log_action ON audit_log (action, id);
CREATE INDEX audit_log_user ON audit_log (user_id, id);
CREATE INDEX audit_log_object ON audit_log (object_type, object_id, id);
