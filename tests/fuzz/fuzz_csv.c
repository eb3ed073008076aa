/*
 * fuzz_csv.c — libFuzzer target for the CSV reader (src/csv.c).
 *
 * The first input byte picks the separator; the rest is read as a CSV file,
 * once from memory and once through a FILE*.  Every record must hold
 * 1..CSV_MAX_FIELDS fields of valid UTF-8 without NUL bytes and at most
 * CSV_FIELD_MAX bytes, line numbers must never go back, and both readers
 * must return the same records and the same error message.  Building
 * csv.c with a tiny block (-DCSV_BLOCK=5) makes the FILE* reader refill
 * inside almost every token, which exercises the block-boundary code.
 *
 * Needs src/csv.c, buf.c, err.c and esc.c.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "csv.h"
#include "err.h"
#include "esc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * Reads every record of r, checks the invariants and appends a transcript
 * (line, fields with their lengths, the final error) to out.
 */
static void read_all(struct csv *r, size_t size, struct buf *out)
{
	struct kerr e = KERR_INIT;
	long last_line = 0;
	size_t i;
	int rc;

	while ((rc = csv_next(r, &e)) == 1) {
		size_t n = csv_nfields(r);
		if (n < 1 || n > CSV_MAX_FIELDS)
			BUG("record with %zu fields", n);
		if (csv_line(r) <= last_line)
			BUG("line number went from %ld to %ld", last_line, csv_line(r));
		if (csv_bytes(r) > size)
			BUG("consumed %llu of %zu bytes", csv_bytes(r), size);
		if (!last_line)   /* the first record names the columns, as the readers' headers do */
			csv_set_columns(r, csv_fields(r), n);
		last_line = csv_line(r);
		buf_printf(out, "%ld:%zu", last_line, n);
		for (i = 0; i < n; i++) {
			const char *f = csv_field(r, i);
			size_t len = strlen(f);
			if (len > CSV_FIELD_MAX || !utf8_valid(f, len))
				BUG("bad field %zu of line %ld", i, last_line);
			buf_printf(out, "|%zu:", len);
			buf_add(out, f, len);
		}
		if (csv_fields(r)[n - 1] != csv_field(r, n - 1) || *csv_field(r, n) != '\0')
			BUG("accessors disagree");
		buf_putc(out, '\n');
	}
	if (rc == 0) {
		if (csv_bytes(r) != size)
			BUG("end of input after %llu of %zu bytes", csv_bytes(r), size);
		if (csv_next(r, &e) != 0)
			BUG("end of input did not last");
	} else {
		if (rc != -1 || e.kind != KERR_INPUT || strncmp(e.msg, "fuzz.csv:", 9) != 0)
			BUG("error without a proper message: %d %d %s", rc, (int)e.kind, e.msg);
		buf_printf(out, "ERR:%s", e.msg);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char seps[3] = { ',', ';', '\t' };
	struct buf from_mem = BUF_INIT, from_file = BUF_INIT;
	struct csv *r;
	char sep;
	FILE *f;

	if (size < 1)
		return 0;
	sep = seps[data[0] % 3];
	data++;
	size--;

	r = csv_open_mem((const char *)data, size, "fuzz.csv", sep);
	read_all(r, size, &from_mem);
	csv_free(r);

	/* fmemopen cannot open an empty buffer on every C library */
	if (size) {
		f = fmemopen((void *)data, size, "r");
		if (f) {
			r = csv_open_file(f, "fuzz.csv", sep);
			read_all(r, size, &from_file);
			csv_free(r);
			fclose(f);
			if (from_mem.len != from_file.len ||
			    memcmp(from_mem.ptr, from_file.ptr, from_mem.len) != 0)
				BUG("memory and file readers differ:\n%s\n---\n%s",
				    from_mem.ptr, from_file.ptr);
		}
	}
	buf_release(&from_mem);
	buf_release(&from_file);
	return 0;
}
