/* auth.c — accounts, sessions, links, rate limits, audit (see auth.h). */
#include "auth.h"

#include <pthread.h>
#include <sodium.h>
#include <time.h>

#include "dir.h"
#include "esc.h"
#include "fold.h"
#include "valid.h"

long long auth_now(void)
{
	return (long long)time(NULL);
}

void auth_token_hash(const char *token, char hash[AUTH_TOKEN_LEN + 1])
{
	unsigned char md[32];
	crypto_generichash(md, sizeof(md), (const unsigned char *)token, strlen(token), NULL, 0);
	sodium_bin2hex(hash, AUTH_TOKEN_LEN + 1, md, sizeof(md));
}

void auth_token_new(char token[AUTH_TOKEN_LEN + 1], char hash[AUTH_TOKEN_LEN + 1])
{
	unsigned char raw[32];
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(token, AUTH_TOKEN_LEN + 1, raw, sizeof(raw));
	if (hash)
		auth_token_hash(token, hash);
}

int auth_token_ok(const char *s)
{
	size_t i;
	if (!s || strlen(s) != AUTH_TOKEN_LEN)
		return 0;
	for (i = 0; i < AUTH_TOKEN_LEN; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return 1;
}

int auth_email_norm(const char *in, char out[256], const char *field, struct kerr *e)
{
	struct buf why = BUF_INIT;
	size_t n, i;
	if (!in)
		in = "";
	while (*in == ' ' || *in == '\t')
		in++;
	n = strlen(in);
	while (n && (in[n - 1] == ' ' || in[n - 1] == '\t'))
		n--;
	if (n == 0)
		return kerr_set(e, KERR_INPUT, "%s: an e-mail address is required", field);
	if (n > 254)
		return kerr_set(e, KERR_INPUT, "%s: the e-mail address is longer than 254 characters", field);
	for (i = 0; i < n; i++)
		out[i] = (in[i] >= 'A' && in[i] <= 'Z') ? (char)(in[i] - 'A' + 'a') : in[i];
	out[n] = '\0';
	if (valid_email(out, &why)) {
		kerr_set(e, KERR_INPUT, "%s: %s", field, why.ptr ? why.ptr : "not an e-mail address");
		buf_release(&why);
		return -1;
	}
	buf_release(&why);
	return 0;
}

/* Passwords of at least AUTH_PW_MIN characters that lead the lists of
 * leaked passwords (and their Polish favourites): the first ones an
 * attacker tries.  Compared ignoring case. */
static const char *const common_passwords[] = {
	"0123456789", "1234567890", "0987654321", "9876543210", "12345678910", "123456789a", "a123456789",
	"1q2w3e4r5t", "1q2w3e4r5t6y", "1qaz2wsx3edc", "zaq12wsxcde3", "qazwsxedcrfv", "123qweasdzxc",
	"qwertyuiop", "qwerty1234", "qwerty12345", "qwerty123456", "asdfghjkl1", "abcdefghij", "abcd123456",
	"password12", "password123", "password1234", "passw0rd123", "iloveyou12", "iloveyou123",
	"haslo12345", "haslo123456", "hasło12345", "hasło123456", "polska1234", "polska12345",
	"administrator", "admin12345", "admin123456", "welcome123", "letmein123", "football123",
};

/* The number of different characters of a valid UTF-8 string, counting
 * no further than max. */
static int distinct_chars(const char *s, int max)
{
	const char *seen[AUTH_PW_DISTINCT];
	size_t seenlen[AUTH_PW_DISTINCT];
	int n = 0, i;
	if (max > AUTH_PW_DISTINCT)
		BUG("distinct_chars counts at most %d", AUTH_PW_DISTINCT);
	while (*s && n < max) {
		size_t len = 1;
		while (((unsigned char)s[len] & 0xc0) == 0x80)
			len++;
		for (i = 0; i < n; i++)
			if (seenlen[i] == len && memcmp(seen[i], s, len) == 0)
				break;
		if (i == n) {
			seen[n] = s;
			seenlen[n++] = len;
		}
		s += len;
	}
	return n;
}

int auth_password_policy(const char *pw, const char *email, struct kerr *e)
{
	const char *at = email ? strchr(email, '@') : NULL;
	size_t i;

	if (!pw || !*pw)
		return kerr_set(e, KERR_INPUT, "password: a password is required");
	if (strlen(pw) > AUTH_PW_MAX)
		return kerr_set(e, KERR_INPUT, "password: at most %d bytes", AUTH_PW_MAX);
	if (!utf8_valid(pw, strlen(pw)))
		return kerr_set(e, KERR_INPUT, "password: not valid UTF-8");
	if (utf8_chars(pw) < AUTH_PW_MIN)
		return kerr_set(e, KERR_INPUT, "password: at least %d characters, please", AUTH_PW_MIN);
	if (distinct_chars(pw, AUTH_PW_DISTINCT) < AUTH_PW_DISTINCT)
		return kerr_set(e, KERR_INPUT, "password: too easy to guess: use at least %d different characters",
				AUTH_PW_DISTINCT);
	for (i = 0; i < sizeof(common_passwords) / sizeof(common_passwords[0]); i++)
		if (strcasecmp(pw, common_passwords[i]) == 0)
			return kerr_set(e, KERR_INPUT, "password: one of the most common passwords: choose another");
	if (email && (strcasecmp(pw, email) == 0 ||
		      (at && strlen(pw) == (size_t)(at - email) && strncasecmp(pw, email, (size_t)(at - email)) == 0)))
		return kerr_set(e, KERR_INPUT, "password: must not be the e-mail address or its part before the @");
	return 0;
}

int auth_name_policy(const char *name, struct kerr *e)
{
	const unsigned char *p;
	if (!name || !*name)
		return 0;
	if (!utf8_valid(name, strlen(name)))
		return kerr_set(e, KERR_INPUT, "name: not valid UTF-8");
	if (utf8_chars(name) > AUTH_NAME_MAX)   /* characters, as the form's maxlength counts */
		return kerr_set(e, KERR_INPUT, "name: at most %d characters", AUTH_NAME_MAX);
	if (text_control(name))
		return kerr_set(e, KERR_INPUT, "name: control characters are not allowed");
	for (p = (const unsigned char *)name; *p; p++) {
		unsigned cp;
		if (p[0] == 0xD8 && p[1] == 0x9C) {   /* U+061C ARABIC LETTER MARK */
			cp = 0x061C;
		} else if (p[0] == 0xE2 && (p[1] == 0x80 || p[1] == 0x81)) {
			cp = 0x2000 + ((unsigned)(p[1] & 0x3F) << 6) + (p[2] & 0x3F);
		} else {
			continue;
		}
		if (cp == 0x061C || cp == 0x200E || cp == 0x200F || (cp >= 0x2028 && cp <= 0x202E) ||
		    (cp >= 0x2066 && cp <= 0x2069))
			return kerr_set(e, KERR_INPUT, "name: control characters are not allowed");
	}
	return 0;
}

int auth_password_hash(const char *pw, char *out, size_t outsz, struct kerr *e)
{
	if (outsz < crypto_pwhash_STRBYTES)
		BUG("password hash buffer too small");
	if (crypto_pwhash_str(out, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
			      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		return kerr_set(e, KERR_INTERNAL, "cannot hash the password (out of memory)");
	return 0;
}

void auth_password_burn(const char *pw)
{
	char hash[crypto_pwhash_STRBYTES];
	if (auth_password_hash(pw ? pw : "", hash, sizeof(hash), NULL) == 0)
		sodium_memzero(hash, sizeof(hash));
}

/* ---- users ---- */

#define USER_COLS "id, email, COALESCE(name, ''), role, status, COALESCE(org_id, 0), COALESCE(cluster_id, 0)," \
	" COALESCE(blocked_at, 0)"

static void user_from_row(struct db_stmt *st, struct user *u)
{
	memset(u, 0, sizeof(*u));
	u->id = db_col_int(st, 0);
	snprintf(u->email, sizeof(u->email), "%s", db_col_text(st, 1) ? db_col_text(st, 1) : "");
	snprintf(u->name, sizeof(u->name), "%s", db_col_text(st, 2) ? db_col_text(st, 2) : "");
	snprintf(u->role, sizeof(u->role), "%s", db_col_text(st, 3) ? db_col_text(st, 3) : "");
	snprintf(u->status, sizeof(u->status), "%s", db_col_text(st, 4) ? db_col_text(st, 4) : "");
	u->org_id = db_col_int(st, 5);
	u->cluster_id = db_col_int(st, 6);
	u->blocked_at = db_col_int(st, 7);
}

int auth_user_by_id(struct db *db, long long id, struct user *u, struct kerr *e)
{
	struct db_stmt *st;
	int rc;
	if (db_prepare(db, "SELECT " USER_COLS " FROM app_user WHERE id = ?", &st, e))
		return -1;
	db_bind_int(st, 1, id);
	rc = db_step(st, e);
	if (rc == 1)
		user_from_row(st, u);
	db_finalize(st);
	return rc;
}

/* Fills *u and, when hash is given, the password hash. */
static int user_by_email(struct db *db, const char *email, struct user *u, char *hash, size_t hashsz,
			 struct kerr *e)
{
	struct db_stmt *st;
	int rc;
	if (db_prepare(db, "SELECT " USER_COLS ", password_hash FROM app_user WHERE email = ?", &st, e))
		return -1;
	db_bind_text(st, 1, email);
	rc = db_step(st, e);
	if (rc == 1) {
		user_from_row(st, u);
		if (hash)
			snprintf(hash, hashsz, "%s", db_col_text(st, 8) ? db_col_text(st, 8) : "");
	}
	db_finalize(st);
	return rc;
}

int auth_user_by_email(struct db *db, const char *email, struct user *u, struct kerr *e)
{
	return user_by_email(db, email, u, NULL, 0, e);
}

int auth_role_ok(const char *role)
{
	return role && (strcmp(role, "admin") == 0 || strcmp(role, "coordinator") == 0 ||
			strcmp(role, "editor") == 0 || strcmp(role, "user") == 0);
}

int auth_user_create(struct db *db, const char *email, const char *name, const char *password,
		     const char *role, const char *status, long long *id, struct kerr *e)
{
	char hash[crypto_pwhash_STRBYTES], now[32];
	struct db_stmt *st;
	int rc;
	if (!auth_role_ok(role))
		BUG("bad role %s", role);
	if (auth_password_policy(password, email, e) || auth_password_hash(password, hash, sizeof(hash), e))
		return -1;
	dir_now(now);
	if (db_prepare(db, "INSERT INTO app_user (email, name, role, password_hash, created_at, status)"
		       " VALUES (?,?,?,?,?,?) RETURNING id", &st, e))
		return -1;
	db_bind_text(st, 1, email);
	db_bind_text(st, 2, name && *name ? name : NULL);
	db_bind_text(st, 3, role);
	db_bind_text(st, 4, hash);
	db_bind_text(st, 5, now);
	db_bind_text(st, 6, status);
	rc = db_step(st, e);
	if (rc == 1 && id)
		*id = db_col_int(st, 0);
	db_finalize(st);
	sodium_memzero(hash, sizeof(hash));
	if (rc < 0 && e && e->kind == KERR_CONFLICT)
		kerr_set(e, KERR_CONFLICT, "email: an account with this address already exists");
	return rc == 1 ? 0 : -1;
}

static int exec_id(struct db *db, const char *sql, const char *text, long long id, struct kerr *e)
{
	struct db_stmt *st;
	int rc, i = 1;
	if (db_prepare(db, sql, &st, e))
		return -1;
	if (text)
		db_bind_text(st, i++, text);
	db_bind_int(st, i, id);
	rc = db_step(st, e);
	db_finalize(st);
	return rc < 0 ? -1 : 0;
}

int auth_links_spend(struct db *db, long long user_id, const char *kind, struct kerr *e)
{
	struct db_stmt *st;
	int rc;
	if (db_prepare(db, "UPDATE auth_token SET used_at = ? WHERE user_id = ? AND kind = ? AND used_at IS NULL",
		       &st, e))
		return -1;
	db_bind_int(st, 1, auth_now());
	db_bind_int(st, 2, user_id);
	db_bind_text(st, 3, kind);
	rc = db_step(st, e);
	db_finalize(st);
	return rc < 0 ? -1 : 0;
}

int auth_user_set_password(struct db *db, long long id, const char *password, struct kerr *e)
{
	char hash[crypto_pwhash_STRBYTES];
	int rc;
	if (auth_password_hash(password, hash, sizeof(hash), e))
		return -1;
	rc = exec_id(db, "UPDATE app_user SET password_hash = ? WHERE id = ?", hash, id, e);
	sodium_memzero(hash, sizeof(hash));
	if (rc == 0)
		rc = auth_links_spend(db, id, "reset", e);
	return rc;
}

int auth_user_activate(struct db *db, long long id, struct kerr *e)
{
	if (exec_id(db, "UPDATE app_user SET status = 'active' WHERE id = ?", NULL, id, e))
		return -1;
	return auth_links_spend(db, id, "confirm", e);
}

int auth_user_set_role(struct db *db, long long id, const char *role, long long org_id, long long cluster_id,
		       struct kerr *e)
{
	struct db_stmt *st;
	int rc;
	if (!auth_role_ok(role))
		return kerr_set(e, KERR_INPUT, "role: must be admin, coordinator, editor or user");
	if (strcmp(role, "editor") == 0 && org_id <= 0)
		return kerr_set(e, KERR_INPUT, "org: an editor needs the organisation they edit");
	if (strcmp(role, "coordinator") == 0 && cluster_id <= 0)
		return kerr_set(e, KERR_INPUT, "cluster: a coordinator needs the cluster they manage");
	if (db_prepare(db, "UPDATE app_user SET role = ?, org_id = ?, cluster_id = ? WHERE id = ?", &st, e))
		return -1;
	db_bind_text(st, 1, role);
	if (strcmp(role, "editor") == 0)
		db_bind_int(st, 2, org_id);
	else
		db_bind_null(st, 2);
	if (strcmp(role, "coordinator") == 0)
		db_bind_int(st, 3, cluster_id);
	else
		db_bind_null(st, 3);
	db_bind_int(st, 4, id);
	rc = db_step(st, e);
	db_finalize(st);
	if (rc < 0 && e && e->kind == KERR_CONFLICT)   /* the foreign key of the one the role uses */
		kerr_set(e, KERR_INPUT, strcmp(role, "editor") == 0 ? "org: no organisation #%lld"
									: "cluster: no cluster #%lld",
			 strcmp(role, "editor") == 0 ? org_id : cluster_id);
	return rc < 0 ? -1 : 0;
}

/* 1 when id is an administrator and no other administrator is active and
 * not blocked (the one who can still manage the portal), 0 when not, -1. */
static int last_admin(struct db *db, long long id, struct kerr *e)
{
	char ids[24];
	long long admin = 0, others = 0;
	snprintf(ids, sizeof(ids), "%lld", id);
	if (db_query_int(db, &admin, e, "SELECT COUNT(*) FROM app_user WHERE id = ? AND role = 'admin'", ids, NULL) < 0 ||
	    (admin && db_query_int(db, &others, e, "SELECT COUNT(*) FROM app_user WHERE role = 'admin' AND "
				   "status = 'active' AND blocked_at IS NULL AND id <> ?", ids, NULL) < 0))
		return -1;
	return admin && !others;
}

int auth_user_delete(struct db *db, long long id, struct kerr *e)
{
	int last = last_admin(db, id, e);
	if (last < 0)
		return -1;
	if (last)
		return kerr_set(e, KERR_CONFLICT, "the only administrator's account cannot be deleted: make another "
				"user an administrator first");
	return exec_id(db, "DELETE FROM app_user WHERE id = ?", NULL, id, e);
}

int auth_user_block(struct db *db, long long id, long long by, struct kerr *e)
{
	struct user u;
	struct db_stmt *st;
	int found, last;
	found = auth_user_by_id(db, id, &u, e);
	if (found < 0)
		return -1;
	if (!found)
		return kerr_set(e, KERR_NOTFOUND, "no such account");
	if (by == id)
		return kerr_set(e, KERR_CONFLICT, "you cannot block your own account");
	if (u.blocked_at)
		return 0;
	last = last_admin(db, id, e);
	if (last < 0)
		return -1;
	if (last)
		return kerr_set(e, KERR_CONFLICT, "the last active administrator cannot be blocked: make another "
				"user an administrator first");
	if (db_prepare(db, "UPDATE app_user SET blocked_at = ? WHERE id = ? AND blocked_at IS NULL", &st, e))
		return -1;
	db_bind_int(st, 1, auth_now());
	db_bind_int(st, 2, id);
	found = db_step(st, e);
	db_finalize(st);
	if (found < 0 || auth_sessions_end_all(db, id, NULL, e))
		return -1;
	/* every outstanding link of the account, whatever its kind */
	if (db_prepare(db, "UPDATE auth_token SET used_at = ? WHERE user_id = ? AND used_at IS NULL", &st, e))
		return -1;
	db_bind_int(st, 1, auth_now());
	db_bind_int(st, 2, id);
	found = db_step(st, e);
	db_finalize(st);
	return found < 0 ? -1 : 1;
}

int auth_user_unblock(struct db *db, long long id, struct kerr *e)
{
	struct user u;
	int found = auth_user_by_id(db, id, &u, e);
	if (found < 0)
		return -1;
	if (!found)
		return kerr_set(e, KERR_NOTFOUND, "no such account");
	if (!u.blocked_at)
		return 0;
	return exec_id(db, "UPDATE app_user SET blocked_at = NULL WHERE id = ?", NULL, id, e) < 0 ? -1 : 1;
}

/* A valid hash of a random password, verified when the address is
 * unknown, so both answers to a login take the same time. */
static char dummy_hash[crypto_pwhash_STRBYTES];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void dummy_init(void)
{
	char pw[AUTH_TOKEN_LEN + 1];
	auth_token_new(pw, NULL);
	if (crypto_pwhash_str(dummy_hash, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
			      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		dummy_hash[0] = '\0';
}

int auth_check_password(struct db *db, const char *email, const char *password, struct user *u,
			struct kerr *e)
{
	char hash[crypto_pwhash_STRBYTES];
	int rc, good;
	rc = user_by_email(db, email, u, hash, sizeof(hash), e);
	if (rc < 0)
		return -1;
	/*
	 * One hash verification whatever the case: an unknown address, and a password longer than any
	 * password can be (which no account's hash is checked against), cost what a wrong password
	 * costs, so the time of the answer does not say whether the address has an account.
	 */
	if (rc == 0 || strlen(password) > AUTH_PW_MAX) {
		sodium_memzero(hash, sizeof(hash));
		pthread_once(&dummy_once, dummy_init);
		if (dummy_hash[0] && crypto_pwhash_str_verify(dummy_hash, password, strlen(password)) == 0)
			BUG("a random password matched");
		return kerr_set(e, KERR_AUTH, "wrong e-mail address or password");
	}
	good = crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
	sodium_memzero(hash, sizeof(hash));
	if (!good)
		return kerr_set(e, KERR_AUTH, "wrong e-mail address or password");
	if (u->blocked_at)
		return kerr_set(e, KERR_AUTH, "this account is blocked: ask the portal's administrator to unblock it");
	if (strcmp(u->status, "active") != 0)
		return kerr_set(e, KERR_AUTH, "this address is not confirmed yet: open the link in the e-mail we sent, "
				"or register again for a new link");
	return 0;
}

/* ---- sessions ---- */

int auth_session_create(struct db *db, long long user_id, const char *ip, char token[AUTH_TOKEN_LEN + 1],
			struct kerr *e)
{
	char hash[AUTH_TOKEN_LEN + 1];
	struct db_stmt *st;
	long long now = auth_now();
	int rc;
	auth_token_new(token, hash);
	if (db_prepare(db, "INSERT INTO user_session (token_hash, user_id, created_at, expires_at, ip)"
		       " VALUES (?,?,?,?,?)", &st, e))
		return -1;
	db_bind_text(st, 1, hash);
	db_bind_int(st, 2, user_id);
	db_bind_int(st, 3, now);
	db_bind_int(st, 4, now + AUTH_SESSION_TTL);
	db_bind_text(st, 5, ip);
	rc = db_step(st, e);
	db_finalize(st);
	return rc < 0 ? -1 : 0;
}

int auth_session_get(struct db *db, const char *token, long idle, struct user *u, struct kerr *e)
{
	char hash[AUTH_TOKEN_LEN + 1];
	struct db_stmt *st;
	long long now = auth_now(), seen = 0, step;
	int rc;
	if (!auth_token_ok(token))
		return 0;
	auth_token_hash(token, hash);
	if (db_prepare(db, "SELECT u.id, u.email, COALESCE(u.name, ''), u.role, u.status, COALESCE(u.org_id, 0),"
		       " COALESCE(u.cluster_id, 0), 0, COALESCE(s.seen_at, s.created_at)"
		       " FROM user_session s JOIN app_user u ON u.id = s.user_id"
		       " WHERE s.token_hash = ? AND s.expires_at > ? AND COALESCE(s.seen_at, s.created_at) > ?"
		       " AND u.status = 'active' AND u.blocked_at IS NULL",
		       &st, e))
		return -1;
	db_bind_text(st, 1, hash);
	db_bind_int(st, 2, now);
	db_bind_int(st, 3, idle > 0 ? now - idle : 0);
	rc = db_step(st, e);
	if (rc == 1) {
		user_from_row(st, u);
		seen = db_col_int(st, 8);
	}
	db_finalize(st);
	/* written often enough that a short idle limit never ends a session in use */
	step = idle > 0 && idle / 4 < AUTH_SEEN_STEP ? idle / 4 : AUTH_SEEN_STEP;
	if (rc == 1 && now - seen >= step &&
	    db_prepare(db, "UPDATE user_session SET seen_at = ? WHERE token_hash = ?", &st, NULL) == 0) {
		db_bind_int(st, 1, now);
		db_bind_text(st, 2, hash);
		/* best effort, see auth.h: never wait for another writer (an import) to note it */
		db_no_wait(db, 1);
		(void)db_step(st, NULL);
		db_no_wait(db, 0);
		db_finalize(st);
	}
	return rc;
}

int auth_session_end(struct db *db, const char *token, struct kerr *e)
{
	char hash[AUTH_TOKEN_LEN + 1];
	struct db_stmt *st;
	int rc;
	if (!auth_token_ok(token))
		return 0;
	auth_token_hash(token, hash);
	if (db_prepare(db, "DELETE FROM user_session WHERE token_hash = ?", &st, e))
		return -1;
	db_bind_text(st, 1, hash);
	rc = db_step(st, e);
	db_finalize(st);
	return rc < 0 ? -1 : 0;
}

int auth_sessions_end_all(struct db *db, long long user_id, const char *keep, struct kerr *e)
{
	char hash[AUTH_TOKEN_LEN + 1] = "";
	struct db_stmt *st;
	int rc;
	if (keep && auth_token_ok(keep))
		auth_token_hash(keep, hash);
	if (db_prepare(db, "DELETE FROM user_session WHERE user_id = ? AND token_hash <> ?", &st, e))
		return -1;
	db_bind_int(st, 1, user_id);
	db_bind_text(st, 2, hash);
	rc = db_step(st, e);
	db_finalize(st);
	return rc < 0 ? -1 : 0;
}

int auth_sessions_list(struct db *db, long long user_id, long idle, const char *current,
		       int (*each)(void *ctx, const struct auth_session_info *s), void *ctx, struct kerr *e)
{
	char hash[AUTH_TOKEN_LEN + 1] = "";
	struct db_stmt *st;
	long long now = auth_now();
	int rc;
	if (current && auth_token_ok(current))
		auth_token_hash(current, hash);
	if (db_prepare(db, "SELECT created_at, COALESCE(seen_at, created_at), COALESCE(ip, ''), token_hash"
		       " FROM user_session WHERE user_id = ? AND expires_at > ? AND COALESCE(seen_at, created_at) > ?"
		       " ORDER BY COALESCE(seen_at, created_at) DESC, created_at DESC", &st, e))
		return -1;
	db_bind_int(st, 1, user_id);
	db_bind_int(st, 2, now);
	db_bind_int(st, 3, idle > 0 ? now - idle : 0);
	while ((rc = db_step(st, e)) == 1) {
		struct auth_session_info si;
		const char *ip = db_col_text(st, 2), *h = db_col_text(st, 3);
		memset(&si, 0, sizeof(si));
		si.created_at = db_col_int(st, 0);
		si.seen_at = db_col_int(st, 1);
		snprintf(si.ip, sizeof(si.ip), "%s", ip ? ip : "");
		si.current = *hash && h && strcmp(h, hash) == 0;
		if (each(ctx, &si))
			break;
	}
	db_finalize(st);
	return rc < 0 ? -1 : 0;
}

/* ---- single-use links ---- */

/* A link of a blocked account is neither valid nor usable (the block spent
 * those it had; this keeps any made later from working while it lasts). */
#define LINK_NOT_BLOCKED \
	" AND NOT EXISTS (SELECT 1 FROM app_user b WHERE b.id = auth_token.user_id AND b.blocked_at IS NOT NULL)"

int auth_link_create(struct db *db, const char *kind, long long user_id, const char *subject, long ttl,
		     char token[AUTH_TOKEN_LEN + 1], struct kerr *e)
{
	char hash[AUTH_TOKEN_LEN + 1];
	struct db_stmt *st;
	long long now = auth_now();
	int rc;
	auth_token_new(token, hash);
	if (db_prepare(db, "INSERT INTO auth_token (token_hash, kind, user_id, subject, created_at, expires_at)"
		       " VALUES (?,?,?,?,?,?)", &st, e))
		return -1;
	db_bind_text(st, 1, hash);
	db_bind_text(st, 2, kind);
	if (user_id > 0)
		db_bind_int(st, 3, user_id);
	else
		db_bind_null(st, 3);
	db_bind_text(st, 4, subject);
	db_bind_int(st, 5, now);
	db_bind_int(st, 6, now + ttl);
	rc = db_step(st, e);
	db_finalize(st);
	return rc < 0 ? -1 : 0;
}

int auth_link_check(struct db *db, const char *kind, const char *token, struct kerr *e)
{
	char hash[AUTH_TOKEN_LEN + 1];
	struct db_stmt *st;
	int rc;
	if (!auth_token_ok(token))
		return 0;
	auth_token_hash(token, hash);
	if (db_prepare(db, "SELECT 1 FROM auth_token WHERE token_hash = ? AND kind = ? AND used_at IS NULL"
		       " AND expires_at > ?" LINK_NOT_BLOCKED, &st, e))
		return -1;
	db_bind_text(st, 1, hash);
	db_bind_text(st, 2, kind);
	db_bind_int(st, 3, auth_now());
	rc = db_step(st, e);
	db_finalize(st);
	return rc;
}

int auth_link_use(struct db *db, const char *kind, const char *token, long long *user_id, char *subject,
		  size_t subjectsz, struct kerr *e)
{
	char hash[AUTH_TOKEN_LEN + 1];
	struct db_stmt *st;
	long long now = auth_now();
	int rc;
	if (!auth_token_ok(token))
		return kerr_set(e, KERR_AUTH, "this link is not valid: ask for a new one");
	auth_token_hash(token, hash);
	/* one statement marks it spent, so two requests cannot both use it */
	if (db_prepare(db, "UPDATE auth_token SET used_at = ? WHERE token_hash = ? AND kind = ?"
		       " AND used_at IS NULL AND expires_at > ?" LINK_NOT_BLOCKED
		       " RETURNING COALESCE(user_id, 0), COALESCE(subject, '')",
		       &st, e))
		return -1;
	db_bind_int(st, 1, now);
	db_bind_text(st, 2, hash);
	db_bind_text(st, 3, kind);
	db_bind_int(st, 4, now);
	rc = db_step(st, e);
	if (rc == 1) {
		if (user_id)
			*user_id = db_col_int(st, 0);
		if (subject)
			snprintf(subject, subjectsz, "%s", db_col_text(st, 1) ? db_col_text(st, 1) : "");
	}
	db_finalize(st);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return kerr_set(e, KERR_AUTH, "this link was already used or has expired: ask for a new one");
	return 0;
}

int auth_link_replace(struct db *db, const char *kind, long long user_id, const char *subject, long ttl,
		      char token[AUTH_TOKEN_LEN + 1], struct kerr *e)
{
	if (user_id <= 0)
		BUG("auth_link_replace without an account");
	if (auth_links_spend(db, user_id, kind, e))
		return -1;
	return auth_link_create(db, kind, user_id, subject, ttl, token, e);
}


int auth_confirm_link_create(struct db *db, long long user_id, char token[AUTH_TOKEN_LEN + 1], struct kerr *e)
{
	return auth_link_replace(db, "confirm", user_id, "", AUTH_CONFIRM_TTL, token, e);
}

int auth_user_confirm(struct db *db, const char *token, long long *user_id, struct kerr *e)
{
	long long uid = 0;
	if (auth_link_use(db, "confirm", token, &uid, NULL, 0, e) || auth_user_activate(db, uid, e))
		return -1;
	if (user_id)
		*user_id = uid;
	return 0;
}

/* ---- rate limits, housekeeping, audit ---- */

int auth_rate_hit(struct db *db, const char *key, long window, long limit, struct kerr *e)
{
	struct db_stmt *st;
	long long now = auth_now(), start = now - now % window, hits = 0;
	int rc;
	if (db_prepare(db, "INSERT INTO rate_limit (rkey, window_start, hits) VALUES (?, ?, 1)"
		       " ON CONFLICT (rkey, window_start) DO UPDATE SET hits = rate_limit.hits + 1 RETURNING hits",
		       &st, e))
		return -1;
	db_bind_text(st, 1, key);
	db_bind_int(st, 2, start);
	rc = db_step(st, e);
	if (rc == 1)
		hits = db_col_int(st, 0);
	db_finalize(st);
	if (rc < 0)
		return -1;
	return hits <= limit;
}

int auth_rate_forgive(struct db *db, const char *key, long window, struct kerr *e)
{
	struct db_stmt *st;
	long long now = auth_now(), start = now - now % window;
	int rc;
	if (db_prepare(db, "UPDATE rate_limit SET hits = hits - 1 WHERE rkey = ? AND window_start = ? AND hits > 0",
		       &st, e))
		return -1;
	db_bind_text(st, 1, key);
	db_bind_int(st, 2, start);
	rc = db_step(st, e);
	db_finalize(st);
	return rc < 0 ? -1 : 0;
}

int auth_housekeeping(struct db *db, long idle, struct kerr *e)
{
	static const char *const sql[] = {
		"DELETE FROM rate_limit WHERE window_start < ?",
		"DELETE FROM auth_token WHERE expires_at < ?",
		"DELETE FROM user_session WHERE expires_at < ?",
		"DELETE FROM user_session WHERE COALESCE(seen_at, created_at) < ?",
	};
	size_t i;
	for (i = 0; i < sizeof(sql) / sizeof(sql[0]); i++) {
		static const long ago[] = { 86400, 86400, 0, 0 };
		struct db_stmt *st;
		int rc;
		if (i == 3 && idle <= 0)
			break;
		if (db_prepare(db, sql[i], &st, e))
			return -1;
		db_bind_int(st, 1, auth_now() - (i == 3 ? idle : ago[i]));
		rc = db_step(st, e);
		db_finalize(st);
		if (rc < 0)
			return -1;
	}
	return 0;
}

int auth_audit(struct db *db, long long user_id, const char *ip, const char *action, const char *object_type,
	       long long object_id, const char *detail, struct kerr *e)
{
	struct db_stmt *st;
	int rc;
	if (db_prepare(db, "INSERT INTO audit_log (at, user_id, ip, action, object_type, object_id, detail)"
		       " VALUES (?,?,?,?,?,?,?)", &st, e))
		return -1;
	db_bind_int(st, 1, auth_now());
	if (user_id > 0)
		db_bind_int(st, 2, user_id);
	else
		db_bind_null(st, 2);
	db_bind_text(st, 3, ip);
	db_bind_text(st, 4, action);
	db_bind_text(st, 5, object_type);
	if (object_id > 0)
		db_bind_int(st, 6, object_id);
	else
		db_bind_null(st, 6);
	db_bind_text(st, 7, detail);
	rc = db_step(st, e);
	db_finalize(st);
	return rc < 0 ? -1 : 0;
}

int auth_secret(struct db *db, const char *name, unsigned char out[32], struct kerr *e)
{
	char hex[65];
	struct db_stmt *st;
	int rc;
	unsigned char raw[32];
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(hex, sizeof(hex), raw, sizeof(raw));
	/* the first server to ask creates it; the others read the same value */
	if (db_prepare(db, "INSERT INTO app_secret (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING", &st, e))
		return -1;
	db_bind_text(st, 1, name);
	db_bind_text(st, 2, hex);
	rc = db_step(st, e);
	db_finalize(st);
	if (rc < 0 || db_prepare(db, "SELECT value FROM app_secret WHERE name = ?", &st, e))
		return -1;
	db_bind_text(st, 1, name);
	rc = db_step(st, e);
	if (rc == 1) {
		const char *v = db_col_text(st, 0);
		size_t got = 0;
		if (!v || sodium_hex2bin(out, 32, v, strlen(v), NULL, &got, NULL) != 0 || got != 32)
			rc = kerr_set(e, KERR_DB, "app_secret %s is damaged", name);
	} else if (rc == 0) {
		rc = kerr_set(e, KERR_DB, "app_secret %s is missing", name);
	}
	db_finalize(st);
	return rc == 1 ? 0 : -1;
}

/* ---- the scope of a role, as an administrator names it ---- */

/* s without the spaces and tabs around it, into out (at most outsz - 1 bytes). */
static void trimmed(const char *s, char *out, size_t outsz)
{
	size_t n;
	if (!s)
		s = "";
	while (*s == ' ' || *s == '\t')
		s++;
	n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (n >= outsz)
		n = outsz - 1;
	memcpy(out, s, n);
	out[n] = '\0';
}

/* 1 and *id when s is "#ID" or a plain number of at most max_digits digits, else 0. */
static int scope_number(const char *s, size_t max_digits, long long *id)
{
	size_t n;
	if (*s == '#')
		s++, max_digits = 18;
	n = strlen(s);
	if (n == 0 || n > max_digits || strspn(s, "0123456789") != n)
		return 0;
	*id = strtoll(s, NULL, 10);
	return 1;
}

/* The matches of a name: exact ones (the folded names are equal) win over
 * names that hold the text; up to SCOPE_LIST of each are named. */
#define SCOPE_LIST 5
struct scope_match {
	long long exact_id, part_id;
	long nexact, npart;
	struct buf exact, part;     /* "name (NIP …)", "; " between */
};

static void scope_match_add(struct scope_match *m, const char *want, long long id, const char *name, const char *tag,
			    const char *tagval)
{
	struct buf have = BUF_INIT;
	struct buf *list;
	long n;
	fold_search(&have, name);
	if (strcmp(have.ptr, want) == 0) {
		m->exact_id = id;
		n = ++m->nexact;
		list = &m->exact;
	} else if (strstr(have.ptr, want)) {
		m->part_id = id;
		n = ++m->npart;
		list = &m->part;
	} else {
		buf_release(&have);
		return;
	}
	buf_release(&have);
	if (n > SCOPE_LIST)
		return;
	buf_printf(list, "%s%s", n > 1 ? "; " : "", name);
	if (tagval && *tagval)
		buf_printf(list, " (%s%s%s)", tag, *tag ? " " : "", tagval);
	else
		buf_printf(list, " (#%lld)", id);
}

/* The one match, or the message for none or several; releases m. */
static int scope_match_end(struct scope_match *m, const char *field, const char *what, const char *text,
			   const char *hint, long long *id, struct kerr *e)
{
	int rc = 0;
	if (m->nexact == 1)
		*id = m->exact_id;
	else if (m->nexact > 1)
		rc = kerr_set(e, KERR_INPUT, "%s: %ld %s are named '%s': %s%s; %s", field, m->nexact, what, text,
			      m->exact.ptr, m->nexact > SCOPE_LIST ? " …" : "", hint);
	else if (m->npart == 1)
		*id = m->part_id;
	else if (m->npart > 1)
		rc = kerr_set(e, KERR_INPUT, "%s: the names of %ld %s hold '%s': %s%s; %s", field, m->npart, what, text,
			      m->part.ptr, m->npart > SCOPE_LIST ? " …" : "", hint);
	else
		rc = kerr_set(e, KERR_INPUT, "%s: no %s is named '%s'", field, what[0] == 'o' ? "organisation" : "cluster",
			      text);
	buf_release(&m->exact);
	buf_release(&m->part);
	return rc;
}

int auth_scope_org(struct db *db, const char *text, const char *field, long long *id, struct kerr *e)
{
	char t[256], nip[11];
	struct buf want = BUF_INIT, like = BUF_INIT, why = BUF_INIT;
	struct scope_match m = { 0, 0, 0, 0, BUF_INIT, BUF_INIT };
	struct db_stmt *st;
	long long n = 0;
	size_t digits = 0;
	const char *c;
	int rc;
	trimmed(text, t, sizeof(t));
	if (!*t)
		return kerr_set(e, KERR_INPUT, "%s: an editor needs the organisation they edit", field);
	if (scope_number(t, 9, id)) {
		char ids[24];
		snprintf(ids, sizeof(ids), "%lld", *id);
		if (db_query_int(db, &n, e, "SELECT COUNT(*) FROM organisation WHERE id = ?", ids, NULL) < 0)
			return -1;
		return n ? 0 : kerr_set(e, KERR_INPUT, "%s: no organisation #%lld", field, *id);
	}
	/* a NIP: ten digits, maybe with dashes, spaces and the PL prefix */
	c = (t[0] == 'P' || t[0] == 'p') && (t[1] == 'L' || t[1] == 'l') ? t + 2 : t;
	for (; *c && (isdigit((unsigned char)*c) || *c == '-' || *c == ' '); c++)
		digits += isdigit((unsigned char)*c) != 0;
	if (!*c && digits == 10) {
		if (valid_nip(t, nip, &why)) {
			kerr_set(e, KERR_INPUT, "%s: %s", field, why.ptr);
			buf_release(&why);
			return -1;
		}
		buf_release(&why);
		rc = db_query_int(db, id, e, "SELECT id FROM organisation WHERE nip = ?", nip, NULL);
		if (rc < 0)
			return -1;
		return rc ? 0 : kerr_set(e, KERR_INPUT, "%s: no organisation has the NIP %s", field, nip);
	}
	fold_search(&want, t);
	if (!want.len) {
		buf_release(&want);
		return kerr_set(e, KERR_INPUT, "%s: the NIP or the name of an organisation", field);
	}
	/* the folded search text holds the folded name: a first sieve */
	buf_printf(&like, "%%%s%%", want.ptr);
	rc = db_prepare(db, "SELECT id, name, COALESCE(nip, '') FROM organisation WHERE search_text LIKE ? ORDER BY id",
			&st, e);
	if (rc == 0) {
		db_bind_text(st, 1, like.ptr);
		while ((rc = db_step(st, e)) == 1)
			scope_match_add(&m, want.ptr, db_col_int(st, 0), db_col_text(st, 1), "NIP", db_col_text(st, 2));
		db_finalize(st);
	}
	buf_release(&want);
	buf_release(&like);
	if (rc < 0) {
		buf_release(&m.exact);
		buf_release(&m.part);
		return -1;
	}
	return scope_match_end(&m, field, "organisations", t, "type the NIP of the one meant", id, e);
}

int auth_scope_cluster(struct db *db, const char *text, const char *field, long long *id, struct kerr *e)
{
	char t[256];
	struct buf want = BUF_INIT;
	struct scope_match m = { 0, 0, 0, 0, BUF_INIT, BUF_INIT };
	struct db_stmt *st;
	long long n = 0;
	int rc;
	trimmed(text, t, sizeof(t));
	if (!*t)
		return kerr_set(e, KERR_INPUT, "%s: a coordinator needs the cluster they manage", field);
	if (scope_number(t, 18, id)) {
		char ids[24];
		snprintf(ids, sizeof(ids), "%lld", *id);
		if (db_query_int(db, &n, e, "SELECT COUNT(*) FROM cluster WHERE id = ?", ids, NULL) < 0)
			return -1;
		return n ? 0 : kerr_set(e, KERR_INPUT, "%s: no cluster #%lld", field, *id);
	}
	if (dir_cluster_id(db, t, id, e))
		return -1;
	if (*id)
		return 0;
	fold_search(&want, t);
	if (!want.len) {
		buf_release(&want);
		return kerr_set(e, KERR_INPUT, "%s: the acronym or the name of a cluster", field);
	}
	/* a directory holds tens of clusters: every name is compared here */
	rc = db_prepare(db, "SELECT id, name, acronym FROM cluster ORDER BY id", &st, e);
	if (rc == 0) {
		while ((rc = db_step(st, e)) == 1)
			scope_match_add(&m, want.ptr, db_col_int(st, 0), db_col_text(st, 1), "", db_col_text(st, 2));
		db_finalize(st);
	}
	buf_release(&want);
	if (rc < 0) {
		buf_release(&m.exact);
		buf_release(&m.part);
		return -1;
	}
	return scope_match_end(&m, field, "clusters", t, "type the acronym of the one meant", id, e);
}

int auth_is_admin(const struct user *u)
{
	return u && strcmp(u->role, "admin") == 0;
}

int auth_can_coordinate(const struct user *u, long long cluster_id)
{
	return auth_is_admin(u) ||
	       (u && strcmp(u->role, "coordinator") == 0 && cluster_id > 0 && u->cluster_id == cluster_id);
}

int auth_can_edit_org(const struct user *u, long long org_id)
{
	return auth_is_admin(u) || (u && strcmp(u->role, "editor") == 0 && org_id > 0 && u->org_id == org_id);
}

int auth_is_moderator(const struct user *u)
{
	return auth_is_admin(u) || (u && strcmp(u->role, "coordinator") == 0);
}
