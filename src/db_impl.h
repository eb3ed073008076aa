/* db_impl.h — internals shared by db.c and the backends; not for other modules. */
#ifndef KLASTER_DB_IMPL_H
#define KLASTER_DB_IMPL_H

#include "db.h"

enum db_ptype { DBP_NULL = 0, DBP_TEXT, DBP_INT, DBP_DOUBLE };

struct db_param {
	enum db_ptype type;
	char *text;          /* owned; for DBP_TEXT, and the text form of numbers */
	long long i;
	double d;
};

struct db {
	const struct db_backend *be;
	void *conn;
	int in_tx;
	long budget_left;        /* progress-handler calls left (SQLite) */
	unsigned long nerrors;   /* failed statements (db_error_count) */
};

struct db_stmt {
	struct db *db;
	void *h;                 /* backend handle */
	char *sql;               /* backend SQL text (owned) */
	int nparams;
	struct db_param *params; /* nparams entries */
	int started;             /* step called since prepare/reset */
	long row, nrows;         /* PostgreSQL result cursor */
};

#endif
