-- 009: the newsletter — subscribers with their consent record, campaigns
-- composed from published news and current offers, and one row per mail
-- a campaign sent (which also holds the hash of that mail's personal
-- unsubscribe link).  Times are Unix seconds (BIGINT) as in 005.

-- One row per address, kept after unsubscribing as the record of the
-- consent and of its withdrawal.  status: pending (asked, not yet
-- confirmed by the link in the confirmation mail) → confirmed →
-- unsubscribed; asking again sets it back to pending.
-- consent_version names the consent text the person agreed to (newsletter.h);
-- requested_*: when and from which address the subscription was asked,
-- confirmed_*: when and from where it was confirmed.
CREATE TABLE newsletter_subscriber (
    id              @PK@,
    email           TEXT NOT NULL UNIQUE,
    status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'confirmed', 'unsubscribed')),
    lang            TEXT NOT NULL DEFAULT 'pl' CHECK (lang IN ('pl', 'en')),
    consent_version TEXT NOT NULL,
    requested_at    BIGINT NOT NULL,
    request_ip      TEXT,
    confirmed_at    BIGINT,
    confirm_ip      TEXT,
    unsubscribed_at BIGINT,
    unsubscribe_ip  TEXT,
    unsubscribe_how TEXT                        -- 'one-click' (RFC 8058 POST) or 'page'
);
CREATE INDEX newsletter_subscriber_status ON newsletter_subscriber (status, id);

-- A campaign: written by a coordinator (cluster_id = their cluster) or an
-- administrator (cluster_id NULL); sent once to every confirmed subscriber.
CREATE TABLE newsletter_campaign (
    id          @PK@,
    cluster_id  BIGINT REFERENCES cluster(id) ON DELETE SET NULL,
    author_id   BIGINT REFERENCES app_user(id) ON DELETE SET NULL,
    lang        TEXT NOT NULL DEFAULT 'pl' CHECK (lang IN ('pl', 'en')),
    subject     TEXT NOT NULL,
    intro       TEXT NOT NULL DEFAULT '',
    status      TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'sent')),
    recipients  BIGINT NOT NULL DEFAULT 0,     -- mails queued by the send
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL,
    sent_at     BIGINT,
    sent_by     BIGINT REFERENCES app_user(id) ON DELETE SET NULL
);
CREATE INDEX newsletter_campaign_list ON newsletter_campaign (cluster_id, id);

-- The items of a campaign in their order.  kind: 'article' (table article)
-- or 'offer' (table offer); events join when the events part exists.
CREATE TABLE newsletter_item (
    campaign_id BIGINT NOT NULL REFERENCES newsletter_campaign(id) ON DELETE CASCADE,
    kind        TEXT NOT NULL CHECK (kind IN ('article', 'offer')),
    item_id     BIGINT NOT NULL,
    position    INTEGER NOT NULL,
    PRIMARY KEY (campaign_id, kind, item_id)
);

-- One row per mail of a sent campaign: at most one per subscriber and
-- campaign; unsub_hash is the BLAKE2b hash of the random token in that
-- mail's unsubscribe link (the token itself is only in the mail).
CREATE TABLE newsletter_delivery (
    campaign_id   BIGINT NOT NULL REFERENCES newsletter_campaign(id) ON DELETE CASCADE,
    subscriber_id BIGINT NOT NULL REFERENCES newsletter_subscriber(id) ON DELETE CASCADE,
    unsub_hash    TEXT NOT NULL UNIQUE,
    PRIMARY KEY (campaign_id, subscriber_id)
);
CREATE INDEX newsletter_delivery_subscriber ON newsletter_delivery (subscriber_id);
