/*
 * auth.h — portal accounts: users and roles, password hashing (Argon2id
 * through libsodium), login sessions, single-use e-mail links, rate
 * limits and the audit log.  The HTTP layer (http.c) and the account
 * pages (web_account.c) are thin front ends over these functions.
 *
 * Tokens (session cookies, links in e-mails) are 32 random bytes written
 * as 64 hex characters; only their BLAKE2b hash is stored, so a copy of
 * the database does not let anyone log in or use a link.
 *
 * Roles: "admin" (everything), "coordinator" (manages the one cluster in
 * user.cluster_id), "editor" (edits the organisation in user.org_id),
 * "user" (a registered account).  A visitor has no struct user.  Every
 * function that changes something takes the acting user's id and the
 * client address for the audit log.
 *
 * Errors follow err.h: KERR_INPUT for a value a person must fix (the
 * message names the field), KERR_AUTH for wrong credentials or a spent or
 * expired link, KERR_CONFLICT for a taken e-mail address.
 *
 * A blocked account (user.blocked_at, auth_user_block) keeps its status,
 * role and data, but cannot log in, has no live session, its API tokens
 * are refused (http.c) and its e-mail links can be neither checked nor
 * used, until an administrator unblocks it.
 */
#ifndef KLASTER_AUTH_H
#define KLASTER_AUTH_H

#include "db.h"
#include "err.h"

#define AUTH_TOKEN_LEN 64          /* hex characters of a token */
#define AUTH_PW_MIN 10             /* characters */
#define AUTH_PW_MAX 256            /* bytes */
#define AUTH_PW_DISTINCT 5         /* different characters */
#define AUTH_SESSION_TTL (14 * 86400)
#define AUTH_SESSION_IDLE (8 * 3600) /* default of serve's --session-idle */
#define AUTH_SEEN_STEP 60          /* a session's seen_at is written at most this often */
#define AUTH_CONFIRM_TTL (2 * 86400)
#define AUTH_RESET_TTL 3600

struct user {
	long long id;
	char email[256];
	char name[256];
	char role[16];                 /* admin, coordinator, editor, user */
	char status[16];               /* pending, active */
	long long org_id;              /* 0 = none */
	long long cluster_id;          /* 0 = none */
	long long blocked_at;          /* when an administrator blocked it (Unix seconds); 0 = not blocked */
};

long long auth_now(void);
/* A new random token and the hash that is stored for it. */
void auth_token_new(char token[AUTH_TOKEN_LEN + 1], char hash[AUTH_TOKEN_LEN + 1]);
void auth_token_hash(const char *token, char hash[AUTH_TOKEN_LEN + 1]);
/* 1 when s looks like a token (64 lower-case hex characters). */
int auth_token_ok(const char *s);

/* Lower-cases and trims an e-mail address into out and checks it
 * (valid_email); field names the form field for the message. */
int auth_email_norm(const char *in, char out[256], const char *field, struct kerr *e);
/* The password rules: AUTH_PW_MIN..AUTH_PW_MAX, valid UTF-8, at least
 * AUTH_PW_DISTINCT different characters ("aaaaaaaaaa" and "ababababab" are
 * refused), not one of the most common passwords (a short built-in list,
 * compared ignoring case), and not the e-mail address or its part before
 * the @ (email may be NULL).  The message names the rule. */
int auth_password_policy(const char *pw, const char *email, struct kerr *e);
int auth_password_hash(const char *pw, char *out, size_t outsz, struct kerr *e);
/* The rules of an account's name (optional; NULL and "" pass): at most
 * AUTH_NAME_MAX characters of valid UTF-8, one line without control
 * characters (C0, DEL, C1) and without the invisible characters that
 * change how the text around them shows (U+061C, U+200E, U+200F, the line
 * and paragraph separators U+2028 and U+2029, the direction embeddings,
 * overrides and isolates U+202A–U+202E and U+2066–U+2069).  A name is
 * shown to other people, on pages and in mails (an offer's relayed
 * message names its sender), so it must not forge a line or turn the
 * words after it around.  -1 with KERR_INPUT "name: …". */
#define AUTH_NAME_MAX 200          /* characters */
int auth_name_policy(const char *name, struct kerr *e);
/* Hashes pw and forgets the result: the time a request takes when no hash is needed, so that it
 * tells nothing (e.g. whether an address has an account). */
void auth_password_burn(const char *pw);

/* Users.  get functions return 1 found, 0 not found, -1 error. */
int auth_user_by_id(struct db *db, long long id, struct user *u, struct kerr *e);
int auth_user_by_email(struct db *db, const char *email, struct user *u, struct kerr *e);
/* Creates an account (status "pending" or "active"); KERR_CONFLICT when
 * the address is taken. */
int auth_user_create(struct db *db, const char *email, const char *name, const char *password,
		     const char *role, const char *status, long long *id, struct kerr *e);
/* Sets the password and spends every outstanding reset link of the
 * account: a link issued before the change can no longer set another
 * password. */
int auth_user_set_password(struct db *db, long long id, const char *password, struct kerr *e);
/* Makes a pending account active (its address is proven) and spends its
 * outstanding confirmation links; an active account stays as it is. */
int auth_user_activate(struct db *db, long long id, struct kerr *e);
/* Spends every outstanding link of kind ("confirm", "reset") of the user. */
int auth_links_spend(struct db *db, long long user_id, const char *kind, struct kerr *e);
/* Role and scope, by an administrator (checked by the caller). */
int auth_user_set_role(struct db *db, long long id, const char *role, long long org_id, long long cluster_id,
		       struct kerr *e);
/* Deletes an account; the portal's last active administrator is kept
 * (KERR_CONFLICT), so that someone can still manage it. */
int auth_user_delete(struct db *db, long long id, struct kerr *e);
/* Blocks the account id, by the account by (0 = the command line): sets
 * blocked_at, ends every session of the account and spends all its
 * outstanding e-mail links (reset, confirm …), in the caller's
 * transaction; its API tokens are refused while it stays blocked.
 * Refused with KERR_CONFLICT when by is id (no one blocks themself) and
 * when id is the last active administrator who is not blocked (someone
 * must still manage the portal); KERR_NOTFOUND for no such account.
 * 1 when it was blocked now, 0 when it already was, -1 on error.  The
 * caller writes the audit entry. */
int auth_user_block(struct db *db, long long id, long long by, struct kerr *e);
/* Lifts the block: the account is again as it was (pending or active,
 * with its role); sessions and links ended by the block stay ended.
 * 1 when it was unblocked now, 0 when it was not blocked, -1 on error
 * (KERR_NOTFOUND for no such account).  The caller writes the audit entry. */
int auth_user_unblock(struct db *db, long long id, struct kerr *e);
/* Checks e-mail and password; 0 with *u filled, or -1: KERR_AUTH with one
 * message for an unknown address and a wrong password (one Argon2id
 * verification in every case, a password over AUTH_PW_MAX bytes too, so
 * the time taken does not tell them apart), for an address not yet confirmed, or for a blocked
 * account (said only to whoever gave its right password). */
int auth_check_password(struct db *db, const char *email, const char *password, struct user *u,
			struct kerr *e);

/* Sessions.  auth_session_get returns 1 and fills *u for a live session:
 * one within AUTH_SESSION_TTL of its login and, when idle > 0, used within
 * the last idle seconds.  A live session's last use is written when it is
 * more than AUTH_SEEN_STEP old, or a quarter of idle when that is shorter
 * (so a busy session costs one write a minute); that write is best effort
 * and never waits for another writer: where it cannot be made (a
 * read-only replica, an import holding the write lock) the session still
 * counts as used at its last write. */
int auth_session_create(struct db *db, long long user_id, const char *ip, char token[AUTH_TOKEN_LEN + 1],
			struct kerr *e);
int auth_session_get(struct db *db, const char *token, long idle, struct user *u, struct kerr *e);
int auth_session_end(struct db *db, const char *token, struct kerr *e);
/* Ends every session of a user except keep (may be NULL). */
int auth_sessions_end_all(struct db *db, long long user_id, const char *keep, struct kerr *e);
/* A user's live sessions (within their 14 days and, idle > 0, used within
 * the last idle seconds), the most recently used first; current is 1 for
 * the one whose token is current (may be NULL).  0, or -1 with e set. */
struct auth_session_info {
	long long created_at, seen_at;     /* Unix seconds; seen_at: the last use written */
	char ip[64];                       /* the address it logged in from */
	int current;
};
int auth_sessions_list(struct db *db, long long user_id, long idle, const char *current,
		       int (*each)(void *ctx, const struct auth_session_info *s), void *ctx, struct kerr *e);

/* Single-use links.  auth_link_create makes a token of a kind valid for
 * ttl seconds; auth_link_check (1 valid, 0 not) looks without spending it;
 * auth_link_use spends it: 0 with *user_id and subject filled, or -1 with
 * KERR_AUTH when the link is unknown, used or expired. */
int auth_link_create(struct db *db, const char *kind, long long user_id, const char *subject, long ttl,
		     char token[AUTH_TOKEN_LEN + 1], struct kerr *e);
int auth_link_check(struct db *db, const char *kind, const char *token, struct kerr *e);
int auth_link_use(struct db *db, const char *kind, const char *token, long long *user_id, char *subject,
		  size_t subjectsz, struct kerr *e);
/* auth_link_create for the kinds an account has one live link of at a
 * time (confirm, reset): the account's earlier links of that kind are
 * spent, so only the newest one mailed works. */
int auth_link_replace(struct db *db, const char *kind, long long user_id, const char *subject, long ttl,
		      char token[AUTH_TOKEN_LEN + 1], struct kerr *e);

/* The confirmation link of a new pending account (kind "confirm", valid
 * AUTH_CONFIRM_TTL, replacing the earlier ones); confirming activates the
 * account with the password of its registration.  A repeated registration
 * of a pending address makes no such link (it would confirm a password
 * typed by whoever registered): it spends them and mails a reset link,
 * with which the mailbox's owner sets the password (web_account.c). */
int auth_confirm_link_create(struct db *db, long long user_id, char token[AUTH_TOKEN_LEN + 1], struct kerr *e);
/* Spends a confirmation link and activates its account (auth_user_activate),
 * with the link's password when it has one: 0 with *user_id, or -1 with
 * KERR_AUTH when the link is unknown, used or expired. */
int auth_user_confirm(struct db *db, const char *token, long long *user_id, struct kerr *e);

/* Counts one attempt under key in a fixed window of window seconds:
 * 1 when it is within limit, 0 when over, -1 on error. */
int auth_rate_hit(struct db *db, const char *key, long window, long limit, struct kerr *e);
/* Takes back one hit of key in the current window (a check that succeeded:
 * only failures should use up a limit); never below 0.  0, or -1. */
int auth_rate_forgive(struct db *db, const char *key, long window, struct kerr *e);
/* Forgets windows and spent links older than a day, expired sessions and,
 * when idle > 0, sessions unused for idle seconds. */
int auth_housekeeping(struct db *db, long idle, struct kerr *e);

/* Appends to the audit log (user_id 0 = a visitor or the system). */
int auth_audit(struct db *db, long long user_id, const char *ip, const char *action, const char *object_type,
	       long long object_id, const char *detail, struct kerr *e);

/* A secret shared by every server on the database (created on first use):
 * 32 random bytes. */
int auth_secret(struct db *db, const char *name, unsigned char out[32], struct kerr *e);

/* The scope of an editor or a coordinator as an administrator names it
 * (a form's text field or the command line), validated and resolved to
 * an id; field names the field in the messages.
 *   auth_scope_org: "#ID" or a number below ten digits (the organisation's
 *   number, as in /organisations/ID); a NIP (ten digits, dashes, spaces
 *   and a PL prefix allowed); else a name, matched ignoring case, Polish
 *   letters and punctuation (fold_search): the organisation of that exact
 *   name, else the one whose name holds the text.
 *   auth_scope_cluster: "#ID" or a number; else an acronym in any case;
 *   else a name as above.
 * 0 with *id, or -1 with KERR_INPUT naming the field: nothing matches, or
 * several do (up to five named, with their NIPs or acronyms, so the
 * administrator can type the one meant). */
int auth_scope_org(struct db *db, const char *text, const char *field, long long *id, struct kerr *e);
int auth_scope_cluster(struct db *db, const char *text, const char *field, long long *id, struct kerr *e);

/* Role checks (u may be NULL for a visitor). */
int auth_role_ok(const char *role);
int auth_is_admin(const struct user *u);
/* admin, or the coordinator of that cluster */
int auth_can_coordinate(const struct user *u, long long cluster_id);
/* admin, or the editor of that organisation */
int auth_can_edit_org(const struct user *u, long long org_id);
/* admin or any coordinator (moderation queues) */
int auth_is_moderator(const struct user *u);

#endif
