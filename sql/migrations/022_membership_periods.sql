-- 022: a cluster's former member admitted again keeps the record of its
-- earlier membership.  membership holds one row per cluster and
-- organisation, the current (or last) period; when a member whose
-- membership ended joins again, the ended period is moved here before the
-- row is reopened with its new joining date.
CREATE TABLE membership_period (
    id          @PK@,
    cluster_id  BIGINT NOT NULL REFERENCES cluster(id) ON DELETE CASCADE,
    org_id      BIGINT NOT NULL REFERENCES organisation(id) ON DELETE CASCADE,
    role        TEXT NOT NULL,
    joined      TEXT,
    left_on     TEXT NOT NULL
);
CREATE INDEX membership_period_member ON membership_period (cluster_id, org_id);
CREATE INDEX membership_period_org ON membership_period (org_id);
