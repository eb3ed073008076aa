-- 010: "Add company" proposals waiting for a moderator, and organisations'
-- requests to join a cluster (see docs/PORTAL-COMPANIES.md).  Neither table
-- is shown on public pages, so they do not move the cache generation; the
-- directory rows an approval writes do (migration 003).  Times are Unix
-- seconds as in 005.

-- A proposed organisation.  fields: the organisation's fields (the names
-- of the directory's import columns) as a JSON object of strings, checked
-- by the directory's validation on submission and again on approval.
-- name and nip are copies for the moderators' list.  cluster_id: the
-- cluster the organisation asks to join (its coordinator may approve).
-- org_id: the organisation created on approval.  lang: the proposer's
-- language, for the e-mail that tells the decision.
CREATE TABLE org_proposal (
    id          @PK@,
    fields      TEXT NOT NULL,
    name        TEXT NOT NULL,
    nip         TEXT,
    cluster_id  BIGINT REFERENCES cluster(id) ON DELETE SET NULL,
    proposer_email TEXT NOT NULL,
    proposer_id BIGINT REFERENCES app_user(id) ON DELETE SET NULL,
    lang        TEXT NOT NULL DEFAULT 'pl' CHECK (lang IN ('pl', 'en')),
    ip          TEXT,
    status      TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
    org_id      BIGINT REFERENCES organisation(id) ON DELETE SET NULL,
    decided_by  BIGINT REFERENCES app_user(id) ON DELETE SET NULL,
    decided_at  BIGINT,
    reason      TEXT,
    created_at  BIGINT NOT NULL
);
CREATE INDEX org_proposal_status ON org_proposal (status, cluster_id);

-- A request of an organisation (made by its editor) to join a cluster.
-- At most one request per organisation and cluster waits at a time.
CREATE TABLE membership_request (
    id          @PK@,
    cluster_id  BIGINT NOT NULL REFERENCES cluster(id) ON DELETE CASCADE,
    org_id      BIGINT NOT NULL REFERENCES organisation(id) ON DELETE CASCADE,
    requested_by BIGINT REFERENCES app_user(id) ON DELETE SET NULL,
    requester_email TEXT NOT NULL,
    message     TEXT,
    lang        TEXT NOT NULL DEFAULT 'pl' CHECK (lang IN ('pl', 'en')),
    status      TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'declined')),
    decided_by  BIGINT REFERENCES app_user(id) ON DELETE SET NULL,
    decided_at  BIGINT,
    reason      TEXT,
    created_at  BIGINT NOT NULL
);
CREATE INDEX membership_request_status ON membership_request (status, cluster_id);
CREATE UNIQUE INDEX membership_request_pending ON membership_request (cluster_id, org_id) WHERE status = 'pending';
