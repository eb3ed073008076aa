/*
 * offer.h — the offers database ("baza ofert") and the services database
 * ("baza usług") of the portal: validation of an entry from name/value
 * pairs (a form or a CSV row), writes with their moderation states,
 * search, reads, the "I am interested" messages and the CSV import.
 *
 * The two databases share one model, struct offer, and one set of
 * functions; enum offer_base says which table (offer or service) a call
 * works on.  Fields of the other base are NULL.
 *
 * Life of an entry: written "pending"; a moderator (offer_can_moderate)
 * sets "approved" or "rejected"; the organisation's editor may set
 * "withdrawn"; an edit by the editor sends it back to "pending".  Public
 * ("listed") means approved and, for offers, valid_until on or after
 * today — expiry needs no job: every public query compares with today.
 * Dates are "YYYY-MM-DD" and compare as text; "today" is the server's
 * local date (offer_today).
 *
 * Strings in the structs are owned by them and freed by *_release.  Errors
 * follow err.h: KERR_INPUT with a message that starts with the field name
 * ("title: required, at most 200 characters"), KERR_NOTFOUND for a missing
 * entry, KERR_CONFLICT for a state change that does not apply, KERR_DB.
 * Writes expect the caller to hold a transaction when several statements
 * belong together (the web handlers always do).
 */
#ifndef KLASTER_OFFER_H
#define KLASTER_OFFER_H

#include "auth.h"
#include "buf.h"
#include "db.h"
#include "err.h"

enum offer_base { OFFER_BASE_OFFERS = 0, OFFER_BASE_SERVICES = 1 };

/* Limits, in characters (UTF-8 code points). */
#define OFFER_TITLE_MAX 200
#define OFFER_DESC_MAX 5000
#define OFFER_KEYWORDS_MAX 300
#define OFFER_NAME_MAX 200
#define OFFER_NOTE_MAX 200
#define OFFER_MESSAGE_MAX 2000
#define OFFER_MODNOTE_MAX 500        /* a moderator's reason for a rejection */
#define OFFER_PKD_MAX 10             /* codes per offer */
#define OFFER_VALID_YEARS 2          /* a new or edited offer ends at most this many years ahead */

struct offer {
	enum offer_base base;
	long long id, org_id, author_id;
	char *kind;                  /* offers: supply …; services: the category */
	char *title, *description;
	char *pkd_codes;             /* offers: normalised codes ("62.01.Z 72.19.Z"), or NULL */
	char *keywords;              /* offers: "a, b, c", or NULL */
	char *price_model, *price_note;      /* services; price_note may be NULL */
	char *voivodeship;           /* 2-digit TERYT, or NULL for the whole country */
	char *valid_from, *valid_until;      /* offers */
	char *contact_name, *contact_email, *contact_phone;   /* phone may be NULL */
	char *status;                /* pending | approved | rejected | withdrawn */
	char *moderation_note;
	int demo;
	long long created_at, updated_at;    /* Unix seconds */
	/* filled by reads */
	char *org_name, *org_type, *voivodeship_name;
};

void offer_release(struct offer *o);

/* The table of a base ("offer", "service") and its kind column's form
 * name ("kind", "category"). */
const char *offer_table(enum offer_base b);
const char *offer_kind_field(enum offer_base b);

/* Enumerations (NULL-terminated) and their display names; lang "pl"/"en".
 * A label function returns its argument for an unknown value. */
extern const char *const offer_kinds[];          /* supply demand cooperation subcontracting technology */
extern const char *const service_categories[];   /* consulting training financing laboratory ip_transfer export */
extern const char *const service_price_models[]; /* free fixed hourly quote co_financed */
const char *const *offer_kind_list(enum offer_base b);
const char *offer_kind_label(enum offer_base b, const char *kind, const char *lang);
const char *offer_price_label(const char *model, const char *lang);
const char *offer_status_label(const char *status, const char *lang);

/* The fields a person fills in, in form order (NULL-terminated): the
 * content of an entry without the organisation. */
const char *const *offer_fields(enum offer_base b);

/* Today's date (the server's local time) as "YYYY-MM-DD". */
void offer_today(char out[11]);

/*
 * Validates n name/value pairs (values may be NULL or "" for absent) into
 * *o, which is zeroed first and owned by the caller afterwards (release it
 * also on failure).  Accepted names: offer_fields(b), and for imports
 * "status" and "demo"; any other name is an error.  Checks the shape only
 * (no database): required fields, lengths, single lines, the enumerations,
 * PKD codes (division or finer, at most OFFER_PKD_MAX; separated by spaces,
 * commas or semicolons; normalised and de-duplicated), keywords (split at
 * commas or semicolons, joined ", "), the voivodeship's form (2 digits),
 * e-mail, phone, dates and valid_from ≤ valid_until.  Text is trimmed;
 * CR LF becomes LF in the description.
 */
int offer_from_fields(struct offer *o, enum offer_base b, const char *const *names, const char *const *values,
		      size_t n, struct kerr *e);
/* Offers: valid_until must not be before today (for new and edited
 * entries: a person should not publish what has already ended), nor more
 * than OFFER_VALID_YEARS after it (the same day of the month; an offer
 * "valid until 9999-12-31" would stay listed for ever).  Imports are not
 * checked: the operator publishes them as they are. */
int offer_check_current(const struct offer *o, const char *today, struct kerr *e);
/* The checks against the database: the voivodeship exists, the PKD
 * divisions exist (PKD 2007), the organisation exists and, for services,
 * is a university / R&D unit or a business-support institution
 * ("org: …"). */
int offer_check_refs(struct db *db, const struct offer *o, struct kerr *e);
/*
 * A form's checks: offer_from_fields, then (org_id set, 0 for none chosen)
 * offer_check_current and offer_check_refs, but every problem is found,
 * one line "field: reason" each, in the order of the form (kerr_set_lines:
 * the lines that fit).  A check across fields or against the database is
 * made only of values that passed their own.  *o as for offer_from_fields.
 */
int offer_check_form(struct db *db, struct offer *o, enum offer_base b, const char *const *names,
		     const char *const *values, size_t n, long long org_id, const char *today, struct kerr *e);
/* 1 when an organisation of this type may offer services (research, support). */
int offer_org_type_serves(const char *org_type);

/* Appends the folded search text (fold.h): title, description, keywords,
 * PKD codes (also compact, "6201z"), the organisation's name and the
 * contact person. */
void offer_search_text(const struct offer *o, const char *org_name, struct buf *out);

/* Computes again the search text of every entry (any state, both bases)
 * of organisation org_id from its current name: call it in the
 * transaction that renames the organisation (dir_org_upsert does). */
int offer_refresh_org(struct db *db, long long org_id, struct kerr *e);

/* Writes.  offer_insert stores *o (status o->status, default "pending";
 * author_id 0 = none) and sets o->id and the times.  offer_update replaces
 * the content of entry o->id (its organisation stays) and sets status to
 * new_status, or keeps it when new_status is NULL; it clears the
 * moderation fields when the status changes. */
int offer_insert(struct db *db, struct offer *o, struct kerr *e);
int offer_update(struct db *db, const struct offer *o, const char *new_status, struct kerr *e);
/*
 * A moderation or owner's state change: from must list the states it
 * applies to (e.g. "pending rejected"), else KERR_CONFLICT.  moderator_id
 * and note (may be NULL) are recorded for approve/reject.
 */
int offer_set_status(struct db *db, enum offer_base b, long long id, const char *from, const char *to,
		     long long moderator_id, const char *note, struct kerr *e);
/* Reads one entry with its organisation; KERR_NOTFOUND when there is none. */
int offer_get(struct db *db, enum offer_base b, long long id, struct offer *o, struct kerr *e);
/* 1 when the entry is public today. */
int offer_is_public(const struct offer *o, const char *today);

/* Roles.  offer_can_moderate: an administrator, or the coordinator of a
 * cluster the organisation is a current member of (1/0, -1 on error).
 * offer_can_edit: an administrator, or the editor of the organisation. */
int offer_can_moderate(struct db *db, const struct user *u, long long org_id, struct kerr *e);
int offer_can_edit(const struct user *u, long long org_id);

/* Search of the public entries.  Every filter may be NULL or "". */
struct offer_query {
	const char *q;               /* free text, folded; every word must match a word prefix */
	const char *kind;            /* offers: kind; services: category */
	const char *voiv;            /* 2-digit TERYT */
	const char *pkd;             /* offers: a PKD code (division or finer): matches its subtree */
	const char *price;           /* services: price model */
	const char *sort;            /* "newest" (default), "title", "valid_until" (offers) */
	long page;                   /* 1-based */
	long per_page;               /* 1..100 */
	const char *today;           /* "YYYY-MM-DD": offers valid until before it are not listed */
	long long org;               /* > 0: only this organisation's entries */
	long long cluster;           /* > 0: only the entries of this cluster's current members */
	char pkd_norm[10];           /* filled by offer_query_check */
};
/* Validates (and normalises pkd): -1 with every problem in e, one line
 * "param: reason" each in the order of the listing's form, else 0. */
int offer_query_check(enum offer_base b, struct offer_query *q, struct kerr *e);
struct offer_result {
	long long total;             /* matches */
	char soonest_until[11];      /* the earliest valid_until among the matches (offers), or "" */
};
/* Calls each() for the entries of the page in order (o is valid during the
 * call only; a non-zero return stops). */
int offer_search(struct db *db, enum offer_base b, struct offer_query *q, struct offer_result *res,
		 int (*each)(void *ctx, const struct offer *o), void *ctx, struct kerr *e);
/* The entries of an organisation (org_id > 0) or of all (org_id 0), newest
 * first, at most limit from offset, with *total the count of all of them:
 * the editors' list. */
int offer_list_org(struct db *db, enum offer_base b, long long org_id, long offset, long limit, long long *total,
		   int (*each)(void *ctx, const struct offer *o), void *ctx, struct kerr *e);
/* Pending entries, oldest first: all (cluster_id 0) or those of the
 * current members of one cluster; at most limit from offset, with *total
 * the count of all of them. */
int offer_list_pending(struct db *db, enum offer_base b, long long cluster_id, long offset, long limit,
		       long long *total, int (*each)(void *ctx, const struct offer *o), void *ctx, struct kerr *e);

/* "I am interested": a message of the conversation between a user and an
 * entry's contact (table offer_message). */
struct offer_message {
	long long id, item_id, user_id;
	enum offer_base base;
	int to_owner;
	char *body;
	long long created_at;
};
void offer_message_release(struct offer_message *m);
/* Checks a message text: required, at most OFFER_MESSAGE_MAX characters;
 * the trimmed text (CR LF → LF) goes to *out (free it). */
int offer_message_check(const char *text, char **out, struct kerr *e);
/* Checks a moderator's note: optional, one line, at most
 * OFFER_MODNOTE_MAX characters; *out gets the trimmed text or NULL. */
int offer_note_check(const char *text, char **out, struct kerr *e);
int offer_message_add(struct db *db, struct offer_message *m, struct kerr *e);
int offer_message_get(struct db *db, long long id, struct offer_message *m, struct kerr *e);
/* The message a reply link answers, without spending the link: 1 and *id,
 * 0 when the link is unknown, spent or expired, -1 on error. */
int offer_reply_peek(struct db *db, const char *token, long long *id, struct kerr *e);
#define OFFER_REPLY_KIND "offer-reply"
#define OFFER_REPLY_TTL (30 * 86400)

/* CSV import: columns "organisation" (its NIP or REGON) and the fields of
 * offer_fields(b), plus optional "status" (default approved: the operator
 * publishes) and "demo".  One transaction: nothing is written when a row
 * is invalid ("NAME:LINE: field: reason").  A row whose organisation
 * already has an entry with the same title updates it, so importing a
 * file again changes nothing. */
struct offer_import_stats {
	long rows, inserted, updated, unchanged;
};
int offer_import_csv(struct db *db, enum offer_base b, const char *path, struct offer_import_stats *st,
		     struct kerr *e);

#endif
