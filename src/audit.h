/*
 * audit.h — reading the audit log that auth_audit (auth.h) writes: the
 * entries an administrator asks for by action, acting account, object and
 * date range, newest first and a page at a time.  The portal's
 * /admin/audit, its CSV export and `klaster audit` all go through here, so
 * the three read the same entries for the same filter.
 *
 * Errors follow err.h: KERR_INPUT for a filter value a person must fix,
 * the message beginning with the field's name (action, user, object,
 * object_id, from, to).
 */
#ifndef KLASTER_AUDIT_H
#define KLASTER_AUDIT_H

#include "buf.h"
#include "db.h"
#include "err.h"

#define AUDIT_TEXT_MAX 200   /* bytes of a text filter */

/* A checked filter; every part empty or 0 means "any". */
struct audit_filter {
	char action[AUDIT_TEXT_MAX + 1];       /* the action exactly ("login", "role" …) */
	char user[AUDIT_TEXT_MAX + 1];         /* "#ID": the account of that number (also one since deleted);
						  else text the acting account's e-mail address holds,
						  ignoring case */
	char object_type[AUDIT_TEXT_MAX + 1];  /* exactly ("user", "offer" …) */
	long long object_id;
	char from[11], to[11];                 /* days YYYY-MM-DD in UTC, both included */
	long long at_from, at_to;              /* the same as Unix seconds: at_from <= at < at_to (0: open) */
};

/* Checks the filter as a person typed it (each value may be NULL or "";
 * spaces around are dropped) into *f: a text at most AUDIT_TEXT_MAX bytes
 * of one line, object_id a whole number from 1, from and to real days with
 * from not after to.  0, or -1 with KERR_INPUT naming the field. */
int audit_filter_parse(struct audit_filter *f, const char *action, const char *user, const char *object_type,
		       const char *object_id, const char *from, const char *to, struct kerr *e);
/* 1 when the filter holds any condition. */
int audit_filter_any(const struct audit_filter *f);

struct audit_entry {
	long long id;
	long long at;                /* Unix seconds */
	long long user_id;           /* 0: a visitor or the system */
	const char *email;           /* the acting account's address; "" when none or deleted */
	const char *ip, *action, *object_type;   /* "" when not recorded */
	long long object_id;         /* 0: none */
	const char *detail;          /* as stored; "" when none */
};

/* Calls each(ctx, entry) for the entries f matches, newest first, skipping
 * offset of them and giving at most limit (0: all); the entry and its
 * strings live during the call; a non-zero return of each stops the list
 * (and is not an error).  *total (may be NULL) gets the number of entries
 * f matches in all.  0, or -1 (KERR_DB). */
int audit_list(struct db *db, const struct audit_filter *f, long long offset, long limit, long long *total,
	       int (*each)(void *ctx, const struct audit_entry *a), void *ctx, struct kerr *e);

/* The values the log holds, sorted, for a filter's choices: each(ctx, v)
 * for every distinct action (AUDIT_ACTIONS) or object type
 * (AUDIT_OBJECT_TYPES).  0, or -1. */
enum audit_values_of { AUDIT_ACTIONS, AUDIT_OBJECT_TYPES };
int audit_values(struct db *db, enum audit_values_of which, int (*each)(void *ctx, const char *v), void *ctx,
		 struct kerr *e);

/* at as "YYYY-MM-DD HH:MM:SS" in UTC. */
void audit_time(long long at, char out[20]);

/* The columns of an export (NULL-terminated) and one entry's values in
 * that order; ids and time are written into the caller's buffers. */
#define AUDIT_NCOLS 8
extern const char *const audit_columns[AUDIT_NCOLS + 1];
void audit_entry_values(const struct audit_entry *a, const char *v[AUDIT_NCOLS], char when[20], char user_id[24],
			char object_id[24]);
/* audit_list's callback that writes entry a as a row of the table ctx (a
 * struct tablew *, with the columns AUDIT_NCOLS names): the CSV of the
 * portal and of `klaster audit` alike. */
int audit_table_row(void *ctx, const struct audit_entry *a);

/* The actions and kinds of object the portal writes (every action and
 * object_type given to auth_audit in src/), each with its label in lang
 * ("en"; anything else Polish): the log's page shows these, while its
 * filters, its CSV and `klaster audit` keep the codes.  NULL for a code the
 * portal does not write (an entry of another version, a test's), which is
 * then shown as it is. */
const char *audit_action_label(const char *code, const char *lang);
const char *audit_object_label(const char *code, const char *lang);
/* The detail of an entry of action as a person reads it in lang, into out
 * (text, not escaped): the sentences the portal writes in English
 * ("organisation #12 joins cluster #3", "back to moderation", "5
 * recipients", an organisation's changed fields by their column names) in
 * Polish, or as stored in English; the state, decision and mail kind codes
 * they hold by their labels.  0 when the detail is none of these (text a
 * person typed, an address, a title …): the caller shows it as stored. */
int audit_detail_text(const char *action, const char *detail, const char *lang, struct buf *out);

#endif
