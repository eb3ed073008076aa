-- 007: the offers and services databases (see docs/PORTAL-OFFERS.md).
--
-- demo: fictional demonstration entries (data/demo/offers.csv, services.csv),
-- shown with a "demo" badge like the directory's demo data.
ALTER TABLE offer ADD COLUMN demo INTEGER NOT NULL DEFAULT 0;
ALTER TABLE service ADD COLUMN demo INTEGER NOT NULL DEFAULT 0;

-- "I am interested" messages, relayed by the portal so that neither side
-- learns the other's e-mail address: user_id is the interested user, the
-- entry is an offer or a service, to_owner is 1 for a message from the
-- user to the entry's contact and 0 for the contact's answer.  Every
-- message mails a single-use reply link (auth_token kind "offer-reply",
-- subject = the message id), so a conversation can go back and forth.
CREATE TABLE offer_message (
    id          @PK@,
    offer_id    BIGINT REFERENCES offer(id) ON DELETE CASCADE,
    service_id  BIGINT REFERENCES service(id) ON DELETE CASCADE,
    user_id     BIGINT NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
    to_owner    INTEGER NOT NULL CHECK (to_owner IN (0, 1)),
    body        TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    CHECK ((offer_id IS NULL) <> (service_id IS NULL))
);
CREATE INDEX offer_message_offer ON offer_message (offer_id);
CREATE INDEX offer_message_service ON offer_message (service_id);
CREATE INDEX offer_message_user ON offer_message (user_id);
CREATE INDEX offer_org_title ON offer (org_id, title);
CREATE INDEX service_org_title ON service (org_id, title);

-- sort_key holds fold_sortkey's bytes: on PostgreSQL it must compare in
-- byte order (006 left the database's collation on it).
--@postgres
ALTER TABLE offer ALTER COLUMN sort_key TYPE TEXT COLLATE "C";
ALTER TABLE service ALTER COLUMN sort_key TYPE TEXT COLLATE "C";
--@end
