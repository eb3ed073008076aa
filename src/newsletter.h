/*
 * newsletter.h — the portal's newsletter (migration 009): subscriptions
 * with double opt-in and a recorded consent, campaigns composed from
 * published news and current offers, and one-click unsubscription
 * (RFC 8058).  The pages in web_newsletter.c are thin front ends over
 * these functions.
 *
 * Subscribing records the version of the consent text shown next to the
 * checkbox (NL_CONSENT_VERSION), the time and the client address, and
 * mails a single-use link (auth_link_*, kind "newsletter"); confirming it
 * records the time and address again.  Only confirmed addresses receive
 * campaigns.
 *
 * Unsubscribe links: every campaign mail carries its own random token
 * (32 bytes, 64 hex characters); only its BLAKE2b hash is stored, in the
 * newsletter_delivery row of that mail, so a copy of the database does
 * not let anyone unsubscribe others, and a token names exactly one
 * subscriber.  The link works as long as the delivery row exists.
 *
 * Every function that changes something runs in its own transaction
 * (nothing is half-written), takes the acting user and client address
 * (struct nl_actor) and writes an audit entry.  Errors follow err.h:
 * KERR_INPUT with a message that starts with the form field's name,
 * KERR_AUTH for a spent or expired confirmation link, KERR_NOTFOUND,
 * KERR_CONFLICT for a campaign that was already sent.
 */
#ifndef KLASTER_NEWSLETTER_H
#define KLASTER_NEWSLETTER_H

#include "buf.h"
#include "db.h"
#include "err.h"

/* The consent text in force; a new wording gets a new version. */
#define NL_CONSENT_VERSION "2026-11-v2"
#define NL_SUBJECT_MAX 200              /* characters */
#define NL_INTRO_MAX 5000               /* characters */
#define NL_ITEMS_MAX 50                 /* of each kind in one campaign */
#define NL_CONFIRM_TTL (2 * 86400)      /* seconds a confirmation link works */

/* The consent text of NL_CONSENT_VERSION in "pl" or "en" (anything else: pl). */
const char *nl_consent_text(const char *lang);

/* Who acts: user_id 0 for a visitor; ip for the audit log and the
 * consent record; base_url ("http://host:port", no trailing slash) for
 * links in mails. */
struct nl_actor {
	long long user_id;
	const char *ip;
	const char *base_url;
};

/* ---- subscriptions ---- */

/* Checks a subscription form: the address (normalised into email), the
 * consent checkbox (consent must be "1"/"on"/"yes") and the version of
 * the consent text the form showed (must be NL_CONSENT_VERSION; NULL is
 * taken as the current one).  -1 with "email: …" or "consent: …". */
int nl_subscribe_validate(const char *email_in, const char *consent, const char *version, char email[256],
			  struct kerr *e);

/* What nl_subscribe did; the visitor is told the same in every case. */
enum nl_sub_outcome {
	NL_SUB_NEW = 1,       /* a new or formerly unsubscribed address: confirmation mailed */
	NL_SUB_PENDING,       /* still unconfirmed: consent record renewed, new link mailed */
	NL_SUB_ALREADY        /* already confirmed: nothing changes, the owner is told by mail */
};

/* Records a subscription request of a validated address (lang "pl"/"en"
 * for the mails) and queues the confirmation mail, in one transaction.
 * The address's earlier confirmation links are spent: only the newest one
 * works, so the consent record (renewed by every request) always
 * describes the request whose link confirms it. */
int nl_subscribe(struct db *db, const struct nl_actor *a, const char *email, const char *lang,
		 enum nl_sub_outcome *out, struct kerr *e);

/* 1 when token is a live confirmation link, 0 when not, -1 on error. */
int nl_confirm_check(struct db *db, const char *token, struct kerr *e);
/* Spends the link and confirms the subscription (time and address are
 * recorded); email receives the address and *subscribed whether it is
 * confirmed now (both may be NULL).  KERR_AUTH when the link is unknown,
 * spent or expired.  A link of an address that unsubscribed since is
 * spent without subscribing it (*subscribed 0). */
int nl_confirm(struct db *db, const struct nl_actor *a, const char *token, char email[256], int *subscribed,
	       struct kerr *e);

struct nl_subscriber {
	long long id;
	char email[256];
	char status[16];
	char lang[3];
};

/* The subscriber an unsubscribe token belongs to: 1 found, 0 not, -1 error. */
int nl_unsub_find(struct db *db, const char *token, struct nl_subscriber *s, struct kerr *e);
/* Unsubscribes the token's subscriber (how: "one-click" or "page");
 * doing it twice is not an error.  KERR_NOTFOUND for an unknown token. */
int nl_unsubscribe(struct db *db, const struct nl_actor *a, const char *token, const char *how,
		   struct nl_subscriber *s, struct kerr *e);

/* 1 when a POST body is an RFC 8058 one-click request: the field
 * List-Unsubscribe with the value One-Click, sent as
 * application/x-www-form-urlencoded or multipart/form-data (ctype is the
 * Content-Type header, may be NULL).  Never fails; anything else is 0. */
int nl_oneclick_body(const char *ctype, const char *body, size_t len);

/* "BASE/newsletter/unsubscribe?t=TOKEN" */
void nl_unsub_url(struct buf *out, const char *base_url, const char *token);
/* The two header lines of RFC 2369 and RFC 8058 for mail_enqueue. */
void nl_unsub_headers(struct buf *out, const char *unsub_url);

/* ---- campaigns ---- */

struct nl_campaign {
	long long id;                 /* 0 until saved */
	long long cluster_id;         /* 0: an administrator's campaign */
	long long author_id;
	long long recipients;
	long long created_at, sent_at;
	char lang[3];                 /* "pl" or "en": the language of the fixed texts */
	char status[8];               /* "draft" or "sent" */
	char *subject, *intro;        /* owned */
	long long *articles, *offers; /* owned; ids in the chosen order */
	size_t narticles, noffers;
};

void nl_campaign_init(struct nl_campaign *c);
void nl_campaign_release(struct nl_campaign *c);

/* Fills c from form values (subject one line of at most NL_SUBJECT_MAX
 * characters, intro at most NL_INTRO_MAX, lang pl/en, item ids as decimal
 * strings, at most NL_ITEMS_MAX of each, duplicates dropped), and needs
 * an intro or at least one item.  -1 with the field named. */
int nl_campaign_from_form(struct nl_campaign *c, const char *subject, const char *intro, const char *lang,
			  const char *const *articles, size_t narticles, const char *const *offers, size_t noffers,
			  struct kerr *e);

/* Saves a draft: a new one when c->id is 0 (its id is filled in;
 * cluster_id and author_id are taken from c), else the draft c->id
 * (KERR_CONFLICT once sent, KERR_NOTFOUND when missing).  Every item must
 * be public now (a published article, an approved offer not yet expired),
 * else KERR_INPUT "articles: …" / "offers: …". */
int nl_campaign_save(struct db *db, const struct nl_actor *a, struct nl_campaign *c, struct kerr *e);

/* Reads a campaign with its items: 1 found, 0 not, -1 error. */
int nl_campaign_get(struct db *db, long long id, struct nl_campaign *c, struct kerr *e);

/* The plain-text body subscribers get: the intro, then the items that are
 * still public (withdrawn or expired ones are left out), then the footer
 * naming the cluster of a coordinator's campaign, with unsub_url. */
int nl_campaign_render(struct db *db, const struct nl_campaign *c, const char *base_url, const char *unsub_url,
		       struct buf *out, struct kerr *e);

/* Sends a draft: in one transaction marks it sent (a second send gets
 * KERR_CONFLICT), queues one mail per confirmed subscriber with its own
 * unsubscribe link and the List-Unsubscribe headers (mail kind
 * "newsletter:ID"), records the count in *recipients and the audit log.
 * With no confirmed subscriber nothing is done (KERR_INPUT, "campaign: …"):
 * the campaign stays a draft. */
int nl_campaign_send(struct db *db, const struct nl_actor *a, long long id, long long *recipients,
		     struct kerr *e);

/* A test of a draft before it goes out: one mail of the body subscribers
 * would get (an unsubscribe link that leads nowhere), its subject marked
 * "[TEST] ", queued to the address to (mail kind "newsletter-test:ID") and
 * audited, in one transaction.  The campaign stays a draft.  KERR_CONFLICT
 * once it is sent, KERR_NOTFOUND when missing. */
int nl_campaign_test(struct db *db, const struct nl_actor *a, long long id, const char *to, struct kerr *e);

/* The delivery state of a sent campaign's mails, from the mail queue. */
struct nl_counts {
	long long sent;               /* handed to the SMTP server */
	long long waiting;            /* queued or being sent */
	long long outbox;             /* kept in the outbox: no SMTP server was configured, nothing went out */
	long long failed;             /* given up after the last retry */
};
int nl_campaign_counts(struct db *db, long long id, struct nl_counts *n, struct kerr *e);

/* One item of a campaign mail, for nl_body_write. */
struct nl_item {
	int is_offer;
	long long id;
	const char *title;
	const char *summary;          /* article lead / offer's organisation; may be NULL */
	const char *until;            /* offer valid until (YYYY-MM-DD), or NULL */
};

/* Writes a campaign mail body (pure: no database).  lang picks the fixed
 * texts; sender may be NULL; CR in intro is dropped. */
void nl_body_write(struct buf *out, const char *lang, const char *intro, const struct nl_item *items, size_t n,
		   const char *base_url, const char *unsub_url, const char *sender);

/* Every subscriber with status and consent data as CSV (header line
 * first), each field through esc_csv. */
int nl_subscribers_csv(struct db *db, struct buf *out, struct kerr *e);

#endif
