/*
 * moderation.h — organisations proposed by anyone ("Add company") waiting
 * for a moderator, and organisations' requests to join a cluster
 * (migration 010).  The library core behind web_moderation.c; the rules
 * are in docs/PORTAL-COMPANIES.md.
 *
 * A proposal is checked with the directory's own validation
 * (org_from_fields: NIP/REGON/KRS check digits, PKD, TERYT, type and size
 * class) when it is made and again when it is approved, and is written to
 * the directory only on approval, through dir_org_upsert as imports are.
 *
 * Writes take the acting user's id (0 = a visitor) and the client address
 * and write their own audit entries (auth_audit).  Functions that decide
 * (approve, reject, accept, decline) expect the caller to hold a
 * transaction and to roll it back when they fail: they may have written
 * part of the change.  Errors follow err.h: KERR_INPUT for a value a
 * person must fix (the message starts with the form field's name),
 * KERR_NOTFOUND for an unknown id, KERR_CONFLICT for a duplicate or a
 * decision already taken (the message says which).
 */
#ifndef KLASTER_MODERATION_H
#define KLASTER_MODERATION_H

#include "db.h"
#include "dir.h"
#include "err.h"

#define MOD_TEXT_MAX 2000   /* bytes of a reason or a message */
#define MOD_NFIELDS 24      /* at least the number of mod_org_fields */
#define MOD_LIST_MAX 200    /* rows of one page of a pending list */

/* The organisation fields a proposal may carry: the directory's import
 * columns (org_columns) without "demo".  NULL-terminated. */
extern const char *const mod_org_fields[];

struct proposal {
	long long id;
	size_t n;                        /* the organisation's non-empty fields */
	const char *names[MOD_NFIELDS];  /* point into mod_org_fields */
	char *values[MOD_NFIELDS];       /* owned */
	char *name, *nip;                /* the validated name and NIP (NIP may be NULL) */
	char email[256];                 /* the proposer's address */
	long long proposer_id;           /* 0 = a visitor */
	long long cluster_id;            /* the cluster to join, 0 = none */
	char *cluster_name;              /* filled by reads; may be NULL */
	char lang[3];                    /* "pl" or "en": the language of the e-mails */
	char status[16];                 /* pending, approved, rejected */
	char *reason;                    /* of a rejection; may be NULL */
	long long org_id;                /* created on approval */
	long long created_at;
};

/* Frees the strings and zeroes p (a zeroed struct may be released). */
void proposal_release(struct proposal *p);
/* The value of one organisation field, or NULL when absent. */
const char *proposal_field(const struct proposal *p, const char *name);

/* Checks an "Add company" proposal: names/values are the organisation's
 * fields (names from mod_org_fields; NULL or empty values are absent) and
 * go through org_from_fields; email is the proposer's address
 * (auth_email_norm, field "proposer_email"); cluster is the id of a
 * cluster to join, or NULL/"" for none.  On success p holds the non-empty
 * fields, the address, the cluster and the language lang, and *o (when o
 * is not NULL) the validated organisation, which the caller releases.  On
 * error -1, KERR_INPUT and a message naming the field ("nip: …"). */
int mod_proposal_check(struct proposal *p, const char *const *names, const char *const *values, size_t n,
		       const char *email, const char *cluster, const char *lang, struct db *db, struct org *o,
		       struct kerr *e);

/* Whether o would duplicate an organisation of the directory: the same
 * NIP, else REGON, else (with neither) the same name and postal code — the
 * keys dir_org_upsert matches on.  1 with *id and a KERR_CONFLICT message
 * naming the field, 0 when o is new, -1 on error. */
int mod_org_duplicate(struct db *db, const struct org *o, long long *id, struct kerr *e);

/* Stores a checked proposal as pending, with an audit entry; sets p->id. */
int mod_proposal_submit(struct db *db, struct proposal *p, const char *ip, struct kerr *e);
/* Reads one proposal (KERR_NOTFOUND when there is none). */
int mod_proposal_get(struct db *db, long long id, struct proposal *p, struct kerr *e);
/* Calls each() for the pending proposals, oldest first: all of them when
 * cluster_id is -1, else those that ask to join cluster_id; at most limit
 * of them after skipping offset (one page).  *total gets how many there
 * are in all (not counted when total is NULL).  p is valid during the
 * call only; a non-zero return stops. */
int mod_proposal_list(struct db *db, long long cluster_id, long offset, long limit, long long *total,
		      int (*each)(void *ctx, const struct proposal *p), void *ctx, struct kerr *e);
/* The proposals made from account proposer_id, newest first, every state (at most
 * MOD_LIST_MAX): the proposer's own list.  p is valid during the call only. */
int mod_proposal_list_mine(struct db *db, long long proposer_id, int (*each)(void *ctx, const struct proposal *p),
			   void *ctx, struct kerr *e);
/* The version of a proposal as a form showed it (its fields, cluster and state, hashed): a
 * decision or an edit posted from a form of another version is refused by the caller. */
#define MOD_VERSION_LEN 17
void mod_proposal_version(const struct proposal *p, char out[MOD_VERSION_LEN]);
/* The proposer changes a pending proposal made from their account (proposer_id): its fields
 * and cluster become those of p (checked by mod_proposal_check), with the audit entry
 * org-proposal-update.  KERR_NOTFOUND when there is no such proposal of that account,
 * KERR_CONFLICT when it was decided already.  In a transaction. */
int mod_proposal_update(struct db *db, long long id, long long proposer_id, const struct proposal *p, const char *ip,
			struct kerr *e);
/* The proposer withdraws a pending proposal of their account: it is deleted (nothing of it
 * was written to the directory), with the audit entry org-proposal-withdraw.  Errors as for
 * mod_proposal_update.  In a transaction. */
int mod_proposal_withdraw(struct db *db, long long id, long long proposer_id, const char *ip, struct kerr *e);
/* Approves a pending proposal: validates it again, checks it duplicates
 * nothing (KERR_CONFLICT, see mod_org_duplicate), writes the organisation
 * with dir_org_upsert, adds the membership of the named cluster (role
 * member, joined today), marks the proposal approved and writes the audit
 * entries.  p (zeroed or released by the caller) gets the proposal with
 * org_id.  KERR_CONFLICT also when it was decided already; KERR_INPUT when
 * its fields no longer pass validation.  In a transaction (see above). */
/* After approving: the proposer's account becomes the editor of the
 * organisation it proposed (p->proposer_id, p->org_id) when it is an active
 * plain user ("user", with no organisation) — whoever proposes a company
 * may keep its profile; an account of another role, or already an
 * organisation's editor, keeps what it has.  *made is 1 when it changed
 * (audited as user-role), else 0.  In the caller's transaction. */
int mod_proposer_editor(struct db *db, const struct proposal *p, long long moderator_id, const char *ip, int *made,
			struct kerr *e);
int mod_proposal_approve(struct db *db, long long id, long long moderator_id, const char *ip, struct proposal *p,
			 struct kerr *e);
/* Rejects a pending proposal with a reason (required, see mod_text_check). */
int mod_proposal_reject(struct db *db, long long id, const char *reason, long long moderator_id, const char *ip,
			struct proposal *p, struct kerr *e);

/* A free text (a reason, a message): at most MOD_TEXT_MAX bytes, and not
 * empty when required; the message names field. */
int mod_text_check(const char *s, const char *field, int required, struct kerr *e);

struct join_request {
	long long id, cluster_id, org_id;
	long long requested_by;          /* the editor's account, 0 when deleted */
	char email[256];                 /* the editor's address when asking */
	char *message, *reason;          /* may be NULL */
	char lang[3], status[16];        /* status: pending, accepted, declined */
	char *org_name, *cluster_name, *cluster_acronym;   /* filled by reads */
	long long created_at;
};

void join_request_release(struct join_request *q);

/* Where an organisation stands with a cluster: 2 a request is pending,
 * 1 a current member, 0 neither; -1 on error. */
int mod_membership_state(struct db *db, long long cluster_id, long long org_id, struct kerr *e);
/* Files a request of q->org_id to join q->cluster_id, asked by
 * q->requested_by (q->email, q->message, q->lang), with an audit entry;
 * sets q->id.  KERR_CONFLICT when the organisation is a current member or
 * a request is already pending; KERR_NOTFOUND for an unknown organisation
 * or cluster. */
int mod_request_create(struct db *db, struct join_request *q, const char *ip, struct kerr *e);
int mod_request_get(struct db *db, long long id, struct join_request *q, struct kerr *e);
/* Pending requests, oldest first, for all clusters (-1) or one; offset,
 * limit and total as for mod_proposal_list. */
int mod_request_list(struct db *db, long long cluster_id, long offset, long limit, long long *total,
		     int (*each)(void *ctx, const struct join_request *q), void *ctx, struct kerr *e);
/* Accepts a pending request: the membership row (role member, joined
 * today) is written with dir_member_upsert, with an audit entry.
 * KERR_CONFLICT when decided already or the organisation is a member by
 * now.  In a transaction. */
int mod_request_accept(struct db *db, long long id, long long moderator_id, const char *ip, struct join_request *q,
		       struct kerr *e);
/* Declines a pending request; reason may be NULL or empty. */
int mod_request_decline(struct db *db, long long id, const char *reason, long long moderator_id, const char *ip,
			struct join_request *q, struct kerr *e);

/* Calls each() with the address and language of every active coordinator
 * account of a cluster that is not blocked (to tell them about a request). */
int mod_cluster_coordinators(struct db *db, long long cluster_id,
			     int (*each)(void *ctx, const char *email, const char *lang), void *ctx, struct kerr *e);

/* Whether a membership may end now: 0; -1 with KERR_NOTFOUND when the
 * organisation is not a current member, KERR_CONFLICT when it coordinates
 * the cluster (it stays a member while it does). */
int mod_membership_check(struct db *db, long long cluster_id, long long org_id, struct kerr *e);
/* Admits an organisation to a cluster as its coordinator or an
 * administrator decides (a former member's row reopened, role member,
 * joined today), with the audit entry membership-add.  former_only (a
 * coordinator): only a former member of the cluster, which once asked or
 * was admitted — membership gives the cluster's coordinator moderation of
 * the organisation's entries, which the organisation must have agreed to;
 * another is KERR_AUTH.  KERR_CONFLICT when it is a current member or its
 * request to join waits in the queue (accepted there, with its mail),
 * KERR_NOTFOUND for an unknown organisation.  In the caller's transaction. */
int mod_member_add(struct db *db, long long cluster_id, long long org_id, int former_only, long long moderator_id,
		   const char *ip, struct kerr *e);
/* Ends a current membership (left_on = today) and writes the audit entry:
 * the errors of mod_membership_check. */
int mod_membership_end(struct db *db, long long cluster_id, long long org_id, long long moderator_id,
		       const char *ip, struct kerr *e);

#endif
