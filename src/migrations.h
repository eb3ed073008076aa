/* migrations.h — the numbered schema migrations compiled into klaster
 * (generated from sql/migrations by scripts/embed-sql.sh). */
#ifndef KLASTER_MIGRATIONS_H
#define KLASTER_MIGRATIONS_H

struct db_migration {
	int version;
	const char *name;
	const char *sql;
};

extern const struct db_migration db_migrations[];
extern const int db_nmigrations;

#endif
