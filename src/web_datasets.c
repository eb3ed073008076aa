/*
 * web_datasets.c — the administrator's page of the cluster map's data
 * (/admin/datasets): the statistics datasets and firm lists stored (what
 * each holds, its source and licence), a statistics file uploaded from the
 * browser as a new dataset or in place of one, and deleting either.
 *
 * An upload is read as `klaster import stats FILE --dataset NAME` reads a
 * file (stats_load_mem with the same options the form offers: format, --sum,
 * the region kind; crosswalks and reference files stay the command line's),
 * checked as the cluster map will compute it (indic_compute), and stored by
 * dataset_store in one transaction: a file the reader refuses, or a store
 * that fails, leaves the datasets as they were, and the form comes back
 * with the reader's message (file, line, column; in Polish on a Polish
 * page) and what was typed.
 *
 * Scripts do the same with an administrator's token: PUT and DELETE
 * /api/v1/datasets/NAME and /api/v1/firm-datasets/NAME read, store, refuse
 * and delete through the page's functions (ds_store_upload,
 * firms_store_upload, stored_delete).
 */
#include "web.h"

#include <errno.h>

#include "auth.h"
#include "cube.h"
#include "esc.h"
#include "dataset.h"
#include "firms.h"
#include "i18n.h"
#include "indic.h"
#include "stats.h"

/* What the list shows of a dataset or firm list. */
struct ds_row {
	char *name, *title, *source, *licence, *kind;
	long long id, nreg, nind, nyear, nfirms;
};

struct ds_rows {
	struct ds_row *v;
	size_t n, alloc;
};

static struct ds_row *rows_add(struct ds_rows *rs)
{
	struct ds_row *x;
	if (rs->n == rs->alloc) {
		rs->alloc = rs->alloc ? st_mult(rs->alloc, 2) : 16;
		rs->v = xrealloc(rs->v, st_mult(rs->alloc, sizeof(*rs->v)));
	}
	x = &rs->v[rs->n++];
	memset(x, 0, sizeof(*x));
	return x;
}

static void rows_release(struct ds_rows *rs)
{
	size_t k;
	for (k = 0; k < rs->n; k++) {
		free(rs->v[k].name);
		free(rs->v[k].title);
		free(rs->v[k].source);
		free(rs->v[k].licence);
		free(rs->v[k].kind);
	}
	free(rs->v);
	memset(rs, 0, sizeof(*rs));
}

static char *dup_or_empty(const char *s)
{
	return xstrdup(s ? s : "");
}

/* A new row of rs for a dataset or list of that id, name, title, source and licence (copied). */
static struct ds_row *rows_put(struct ds_rows *rs, long long id, const char *name, const char *title,
			       const char *source, const char *licence)
{
	struct ds_row *x = rows_add(rs);
	x->id = id;
	x->name = dup_or_empty(name);
	x->title = dup_or_empty(title);
	x->source = dup_or_empty(source);
	x->licence = dup_or_empty(licence);
	return x;
}

static int each_dataset(void *ctx, const struct dataset_info *d)
{
	rows_put(ctx, d->id, d->name, d->title, d->source, d->licence)->kind = dup_or_empty(d->region_kind);
	return 0;
}

static int each_firms(void *ctx, const struct firms_info *d)
{
	rows_put(ctx, d->id, d->name, d->title, d->source, d->licence)->nfirms = d->nfirms;
	return 0;
}

/* The labels of the upload form's fields, for its error list. */
static const struct {
	const char *field, *pl, *en;
} upload_fields[] = {
	{ "file", "Plik (statystyka albo lista firm)", "File (statistics or a firm list)" },
	{ "name", "Nazwa zbioru (w adresach)", "Dataset name (in addresses)" },
	{ "title", "Tytuł", "Title" },
	{ "source", "Źródło", "Source" },
	{ "licence", "Licencja (warunki ponownego wykorzystania)", "Licence (terms of reuse)" },
	{ "format", "Układ pliku", "File layout" },
	{ "region_kind", "Kody regionów", "Region codes" },
	{ "industry_names", "Nazwy branż", "Industry names" },
	{ "replace", "Zastąp zbiór o tej nazwie", "Replace the dataset of that name" },
	{ "what", "Co zawiera plik", "What the file holds" },
	{ "values", "Kolumny wartości (lista firm)", "Value columns (a firm list)" },
};

static const char *upload_label(struct req *r, const char *field)
{
	size_t k;
	for (k = 0; k < sizeof(upload_fields) / sizeof(upload_fields[0]); k++)
		if (strcmp(upload_fields[k].field, field) == 0)
			return L(r, upload_fields[k].pl, upload_fields[k].en);
	return NULL;
}

static const char *field_label(struct req *r, const char *field)
{
	const char *l = upload_label(r, field);
	return l ? l : field;
}

/* A select of the upload form: value/label pairs, the current value selected. */
static void upload_select(struct req *r, const char *name, const char *current, const char *hint,
			  const char *const (*opts)[3], size_t n)
{
	size_t k;
	html_printf(&r->out, "<div class=\"field\"><label for=\"f-%s\">%s</label><span class=\"hint\" id=\"f-%s-hint\">%s</span>"
		    "<select id=\"f-%s\" name=\"%s\" aria-describedby=\"f-%s-hint\"%R>",
		    name, field_label(r, name), name, hint, name, name, name, web_invalid(r, name));
	for (k = 0; k < n; k++)
		html_printf(&r->out, "<option value=\"%s\"%R>%s</option>", opts[k][0],
			    current && strcmp(current, opts[k][0]) == 0 ? " selected" : "", L(r, opts[k][1], opts[k][2]));
	buf_puts(&r->out, "</select></div>");
}

static const char *const format_opts[][3] = {
	{ "auto", "rozpoznany z nagłówka", "found from the header" },
	{ "long", "długi CSV: kolumny regionu, branży, roku i zatrudnienia", "long CSV: region, industry, year, employment" },
	{ "firms", "wiersze firm (sumowane w komórki)", "firm rows (added up into cells)" },
	{ "eurostat", "tabela TSV Eurostatu", "Eurostat TSV table" },
	{ "bdl", "Bank Danych Lokalnych GUS (układ pionowy)", "Statistics Poland's Local Data Bank (vertical)" },
};

static const char *const what_opts[][3] = {
	{ "stats", "statystyka: zbiór danych mapy klastrów", "statistics: a dataset of the cluster map" },
	{ "firms", "lista firm: identyfikator, nazwa, branża i współrzędne każdej", "firm list: id, name, industry, lat, lon" },
};

static const char *const kind_opts[][3] = {
	{ "teryt", "TERYT: województwa, powiaty", "TERYT: voivodeships, powiats" },
	{ "nuts2013", "NUTS-2 (2013 lub nowsze): mapa Europy", "NUTS-2 (2013 or later): map of Europe" },
	{ "other", "inne (tylko tabela)", "other (table only)" },
};

static const char *const names_opts[][3] = {
	{ "", "z pliku (jego kolumna nazw branż) albo bez nazw", "from the file (its column of industry names), or none" },
	{ "pkd2007", "PKD 2007: sekcje i działy z klasyfikacji w bazie", "PKD 2007: sections and divisions from the "
	  "classification in the database" },
	{ "pkd2025", "PKD 2025: sekcje i działy z klasyfikacji w bazie", "PKD 2025: sections and divisions from the "
	  "classification in the database" },
};

/* The PKD version an upload's industry_names asks its industries to be named by: 0 for none ("" or
 * absent), 2007, 2025, or -1 for another value. */
static int pkd_names_version(const char *v)
{
	if (!v || !*v)
		return 0;
	return strcmp(v, "pkd2007") == 0 ? 2007 : strcmp(v, "pkd2025") == 0 ? 2025 : -1;
}

/* The page: the datasets and firm lists, then the upload form (with error above it and the
 * values typed, when an upload came back). */
static void datasets_page(struct req *r, const char *error, const char *stored, const char *stored_firms)
{
	struct ds_rows ds = { NULL, 0, 0 }, fl = { NULL, 0, 0 };
	struct kerr e = KERR_INIT;
	size_t k;
	const char *v;
	if (dataset_list(r->db, each_dataset, &ds, &e) || firms_list(r->db, each_firms, &fl, &e)) {
		rows_release(&ds);
		rows_release(&fl);
		return req_error_kerr(r, &e);
	}
	for (k = 0; k < ds.n; k++)
		if (dataset_shape(r->db, ds.v[k].id, &ds.v[k].nreg, &ds.v[k].nind, &ds.v[k].nyear, &e)) {
			rows_release(&ds);
			rows_release(&fl);
			return req_error_kerr(r, &e);
		}
	page_begin(r, L(r, "Mapa klastrów: zbiory danych", "Cluster map: datasets"));
	html_printf(&r->out, "<p class=\"crumbs\"><a href=\"/admin\">%s</a></p><h1>%s</h1>",
		    L(r, "Panel", "Administration"), L(r, "Mapa klastrów: zbiory danych", "Cluster map: datasets"));
	if (stored && !error) {
		for (k = 0; k < ds.n && strcmp(ds.v[k].name, stored) != 0; k++)
			;
		if (k < ds.n) {
			long long blank = 0;
			char id[32];
			html_printf(&r->out, "<p class=\"notice\" role=\"status\">%s <a href=\"/cluster-map?dataset=%u\">%s</a>: "
				    "%lld × %lld × %lld (%s).",
				    L(r, "Zapisano zbiór", "Stored the dataset"), ds.v[k].name, ds.v[k].name, ds.v[k].nreg,
				    ds.v[k].nind, ds.v[k].nyear, L(r, "regiony × branże × lata", "regions × industries × years"));
			/* the cells the file gave without a value: the maps show them without data */
			snprintf(id, sizeof(id), "%lld", ds.v[k].id);
			if (db_query_int(r->db, &blank, NULL, "SELECT COUNT(*) FROM stat_cell WHERE dataset_id = ? AND "
					 "employment IS NULL", id, NULL) == 1 && blank > 0)
				html_printf(&r->out, " %s: %lld.", L(r, "Komórki bez wartości (poufne lub brakujące; na mapach bez danych)",
								      "Cells without a value (confidential or missing; drawn without data)"),
					    blank);
			buf_puts(&r->out, "</p>");
		}
	}
	if (stored_firms && !error) {
		for (k = 0; k < fl.n && strcmp(fl.v[k].name, stored_firms) != 0; k++)
			;
		if (k < fl.n)
			html_printf(&r->out, "<p class=\"notice\" role=\"status\">%s <a href=\"/cluster-map/points?dataset=%u\">%s</a>: "
				    "%lld %s.</p>", L(r, "Zapisano listę firm", "Stored the firm list"), fl.v[k].name,
				    fl.v[k].name, fl.v[k].nfirms, L(r, "firm z położeniem", "located firms"));
	}
	html_printf(&r->out, "<h2>%s</h2>", L(r, "Zbiory statystyk", "Statistics datasets"));
	if (!ds.n) {
		html_printf(&r->out, "<p>%s</p>", L(r, "Nie ma jeszcze żadnego zbioru.", "There is no dataset yet."));
	} else {
		html_printf(&r->out, "<div class=\"table-wrap\"><table><thead><tr><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
			    "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
			    "<th scope=\"col\">%s</th></tr></thead><tbody>",
			    L(r, "Nazwa", "Name"), L(r, "Tytuł", "Title"),
			    L(r, "Regiony × branże × lata", "Regions × industries × years"), L(r, "Kody regionów", "Region codes"),
			    L(r, "Źródło i licencja", "Source and licence"), L(r, "Działania", "Actions"));
		for (k = 0; k < ds.n; k++) {
			const struct ds_row *x = &ds.v[k];
			html_printf(&r->out, "<tr><td><a href=\"/cluster-map?dataset=%u\">%s</a></td><td>%s</td>"
				    "<td class=\"num\">%lld × %lld × %lld</td><td>%s</td><td>%s",
				    x->name, x->name, x->title, x->nreg, x->nind, x->nyear, x->kind, x->source);
			if (*x->licence)
				html_printf(&r->out, "<br>%s: %s", L(r, "Licencja", "Licence"), x->licence);
			buf_puts(&r->out, "</td><td>");
			html_printf(&r->out, "<a href=\"/admin/datasets/%u/delete\">%s<span class=\"vh\"> %s</span></a>",
				    x->name, L(r, "Usuń", "Delete"), x->name);
			buf_puts(&r->out, "</td></tr>");
		}
		buf_puts(&r->out, "</tbody></table></div>");
	}
	html_printf(&r->out, "<h2>%s</h2>", L(r, "Listy firm (punkty)", "Firm lists (points)"));
	if (!fl.n) {
		html_printf(&r->out, "<p>%s</p>", L(r, "Nie ma jeszcze żadnej listy.", "There is no list yet."));
	} else {
		html_printf(&r->out, "<div class=\"table-wrap\"><table><thead><tr><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
			    "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead><tbody>",
			    L(r, "Nazwa", "Name"), L(r, "Tytuł", "Title"), L(r, "Firmy", "Firms"),
			    L(r, "Źródło i licencja", "Source and licence"), L(r, "Działania", "Actions"));
		for (k = 0; k < fl.n; k++) {
			const struct ds_row *x = &fl.v[k];
			html_printf(&r->out, "<tr><td><a href=\"/cluster-map/points?dataset=%u\">%s</a></td><td>%s</td>"
				    "<td class=\"num\">%lld</td><td>%s", x->name, x->name, x->title, x->nfirms, x->source);
			if (*x->licence)
				html_printf(&r->out, "<br>%s: %s", L(r, "Licencja", "Licence"), x->licence);
			html_printf(&r->out, "</td><td><a href=\"/admin/firm-lists/%u/delete\">%s<span class=\"vh\"> %s</span></a></td></tr>",
				    x->name, L(r, "Usuń", "Delete"), x->name);
		}
		buf_puts(&r->out, "</tbody></table></div>");
	}

	/* the columns are the file's own names (English identifiers): marked as code in English */
	html_printf(&r->out, "<h2 id=\"upload\">%s</h2><p>%s <code lang=\"en\">region, industry, year, employment</code>"
		    "%s <code lang=\"en\">establishments, traded, region_name, industry_name</code>%s</p>",
		    L(r, "Wgraj plik ze statystyką", "Upload a statistics file"),
		    L(r, "Plik jest czytany tak jak przez klaster import stats: długi CSV o kolumnach",
		      "The file is read as klaster import stats reads it: a long CSV of the columns"),
		    L(r, "(i opcjonalnie", "(and optionally"),
		    L(r, "), tabela TSV Eurostatu, CSV GUS ze średnikami i przecinkiem dziesiętnym lub eksport Banku "
			 "Danych Lokalnych. Błędny plik niczego nie zmienia.",
		      "), a Eurostat TSV table, a Statistics Poland CSV with semicolons and decimal commas, or a Local "
		      "Data Bank export. A file with an error changes nothing."));
	if (error)
		web_form_errors(r, error, upload_label);
	form_open_upload(r, "/admin/datasets", "stack upload", 1);
	web_required_legend(r);
	html_printf(&r->out, "<div class=\"field\"><label for=\"f-file\">%s%R</label>"
		    "<span class=\"hint\" id=\"f-file-hint\">%s %lld MiB</span>"
		    "<input type=\"file\" id=\"f-file\" name=\"file\" required accept=\".csv,.tsv,.txt,text/csv,text/tab-separated-values\" "
		    "aria-describedby=\"f-file-hint\"%R></div>",
		    field_label(r, "file"), web_required_mark(), L(r, "CSV lub TSV w UTF-8, najwyżej", "CSV or TSV in UTF-8, at most"),
		    (long long)((r->app->max_upload ? r->app->max_upload : r->app->max_body) >> 20), web_invalid(r, "file"));
	web_field_hint(r, "name", field_label(r, "name"), "text", req_form(r, "name"),
		       "required maxlength=\"60\" pattern=\"[a-z0-9][a-z0-9\\-]*\" autocomplete=\"off\"",
		       L(r, "małe litery, cyfry i „-”, np. gus-2024", "lower-case letters, digits and '-', e.g. gus-2024"));
	web_field_hint(r, "title", field_label(r, "title"), "text", req_form(r, "title"), "maxlength=\"300\"",
		       L(r, "tak nazywa zbiór mapa klastrów (bez tytułu: nazwa)", "what the cluster map calls it (none: the name)"));
	web_field_hint(r, "source", field_label(r, "source"), "text", req_form(r, "source"), "maxlength=\"1000\"",
		       L(r, "pokazywane pod mapą i w pobranych plikach", "shown under the map and in downloads"));
	web_field_hint(r, "licence", field_label(r, "licence"), "text", req_form(r, "licence"), "maxlength=\"1000\"",
		       L(r, "np. CC BY 4.0", "e.g. CC BY 4.0"));
	upload_select(r, "what", (v = req_form(r, "what")) ? v : "stats",
		      L(r, "statystyka regionów i branż albo lista firm z położeniem (punkty mapy)",
			"statistics of regions and industries, or a list of located firms (the map's points)"),
		      what_opts, sizeof(what_opts) / sizeof(what_opts[0]));
	upload_select(r, "format", (v = req_form(r, "format")) ? v : "auto",
		      L(r, "zwykle rozpoznawany sam", "usually found by itself"), format_opts,
		      sizeof(format_opts) / sizeof(format_opts[0]));
	upload_select(r, "region_kind", (v = req_form(r, "region_kind")) ? v : "teryt",
		      L(r, "na jakiej mapie rysować regiony", "which map draws the regions"), kind_opts,
		      sizeof(kind_opts) / sizeof(kind_opts[0]));
	upload_select(r, "industry_names", (v = req_form(r, "industry_names")) ? v : "",
		      L(r, "dla statystyki: nazwy kodów branż, gdy plik podaje same kody (np. 29 albo C)",
			"for statistics: names of the industry codes, when the file gives codes alone (e.g. 29 or C)"),
		      names_opts, sizeof(names_opts) / sizeof(names_opts[0]));
	web_field_hint(r, "values", field_label(r, "values"), "text", req_form(r, "values"), "maxlength=\"1000\"",
		       L(r, "dla listy firm: nazwy liczbowych kolumn pliku do zapisania, po przecinku",
			 "for a firm list: numeric columns to keep, separated by commas (e.g. employment, emissions)"));
	html_printf(&r->out, "<div class=\"field check\"><input type=\"checkbox\" id=\"f-sum\" name=\"sum\" value=\"1\"%R>"
		    "<label for=\"f-sum\">%s</label></div>", req_form(r, "sum") ? " checked" : "",
		    L(r, "Sumuj wiersze tej samej komórki (lista firm lub zakładów)",
		      "Add up rows of the same cell (a list of firms or plants)"));
	html_printf(&r->out, "<div class=\"field check\"><input type=\"checkbox\" id=\"f-replace\" name=\"replace\" value=\"1\"%R%R>"
		    "<label for=\"f-replace\">%s</label></div>", req_form(r, "replace") ? " checked" : "",
		    web_invalid(r, "replace"), field_label(r, "replace"));
	html_printf(&r->out, "<p><button type=\"submit\">%s</button></p></form>", L(r, "Wgraj i zapisz", "Upload and store"));
	page_end(r);
	rows_release(&ds);
	rows_release(&fl);
}

static void h_admin_datasets(struct req *r)
{
	const char *stored = req_arg(r, "stored"), *firms = req_arg(r, "stored_firms");
	if (req_deny(r, auth_is_admin(&r->user)))
		return;
	datasets_page(r, NULL, stored && dataset_name_ok(stored) ? stored : NULL,
		      firms && dataset_name_ok(firms) ? firms : NULL);
}

/* The two kinds of data the page and the API store and delete, by their flag firms: 0 a
 * statistics dataset, 1 a firm list (how the API names one, and the file its PUT takes). */
static const struct {
	const char *id_sql, *what, *file;
} kinds[2] = {
	{ "SELECT id FROM dataset WHERE name = ?", "dataset", "the statistics file" },
	{ "SELECT id FROM firm_dataset WHERE name = ?", "firm list", "the firm list" },
};

/* The id of the stored dataset (firms: firm list) named name: 0 when there is none (or name,
 * which may be NULL, is no name), -1 with e on a database error. */
static long long stored_id(struct db *db, int firms, const char *name, struct kerr *e)
{
	long long id = 0;
	if (!name || !dataset_name_ok(name))
		return 0;
	if (db_query_int(db, &id, e, kinds[firms].id_sql, name, NULL) < 0)
		return -1;
	return id;
}

/* Who changes the data: the administrator of the API's token, else of the page's session. */
static long long actor(const struct req *r)
{
	return r->user_id ? r->user_id : r->user.id;
}

/* The problems of the upload's fields, one "field: reason" a line, into msg; the options read. */
static void upload_check(struct req *r, const struct form_file *file, struct stats_opts *o, struct buf *msg)
{
	static const char *const text_fields[] = { "title", "source", "licence" };
	const char *name = req_form(r, "name"), *fmt = req_form(r, "format"), *kind = req_form(r, "region_kind");
	struct kerr e = KERR_INIT;
	size_t k;
	if (!file || !file->len)
		buf_printf(msg, "file: %s\n", file ? L(r, "plik jest pusty", "the file is empty")
						   : L(r, "wybierz plik", "choose a file"));
	if (!name || !*name)
		buf_printf(msg, "name: %s\n", L(r, "podaj nazwę", "give a name"));
	else if (!dataset_name_new_ok(name))
		buf_printf(msg, "name: %s\n", L(r, "od 1 do 60 małych liter, cyfr lub „-” (nie na początku)",
						 "1 to 60 lower-case letters, digits or '-' (not first)"));
	for (k = 0; k < sizeof(text_fields) / sizeof(text_fields[0]); k++) {
		const char *v = req_form(r, text_fields[k]);
		if (v && *v && dataset_text_ok(text_fields[k], v, &e))
			buf_printf(msg, "%s: %s\n", text_fields[k],
				   L(r, "jeden wiersz tekstu, bez znaków sterujących", "one line of text, without control characters"));
	}
	o->fmt = STATS_AUTO;
	if (fmt && strcmp(fmt, "auto") != 0 && stats_format_by_name(fmt, &o->fmt, &e))
		buf_printf(msg, "format: %s\n", L(r, "wybierz układ z listy", "choose a layout from the list"));
	if (req_form(r, "what") && strcmp(req_form(r, "what"), "stats") != 0 && strcmp(req_form(r, "what"), "firms") != 0)
		buf_printf(msg, "what: %s\n", L(r, "wybierz z listy", "choose from the list"));
	if (kind && !dataset_region_kind_ok(kind))
		buf_printf(msg, "region_kind: %s\n", L(r, "wybierz rodzaj kodów z listy", "choose a kind of codes from the list"));
	if (pkd_names_version(req_form(r, "industry_names")) < 0)
		buf_printf(msg, "industry_names: %s\n", L(r, "wybierz z listy", "choose from the list"));
	o->sum = req_form(r, "sum") != NULL;
	o->refuse_empty = 1;   /* as import stats: the map computes location quotients of every year */
	buf_truncate(msg, msg->len && msg->ptr[msg->len - 1] == '\n' ? msg->len - 1 : msg->len);
}

/* What an upload stores: the file's bytes and its name as the sender gave it, under the dataset
 * name with its texts (title, source, licence may be NULL or "") and the reader's options; a
 * firm list's value columns as the form names them (values: "employment, emissions", or NULL). */
struct ds_upload {
	const char *data, *filename;
	size_t len;
	const char *name, *title, *source, *licence, *kind;
	struct stats_opts o;
	const char *values;
	int pkd;             /* statistics: name the industries by PKD of this version (dataset_pkd_names); 0 */
};

/*
 * Reads u's file as import stats reads it, checks it as the cluster map computes it (every year)
 * and stores it as dataset u->name, replacing one of that name, in one transaction, with an
 * audit line (replacing: one was stored).  0 with shape (regions, industries, years), or -1
 * with e: KERR_INPUT (or KERR_TOOBIG) for the file's problem, its message naming the file, line
 * and column, and another kind for the server's; nothing is stored then.
 */
static int ds_store_upload(struct req *r, const struct ds_upload *u, int replacing, size_t shape[3], struct kerr *e)
{
	struct stats_counts counts;
	struct buf detail = BUF_INIT;
	struct cube cube;
	const char *fname = u->filename && *u->filename ? u->filename : "upload";
	long long id = 0;
	struct kerr ae = KERR_INIT;
	if (stats_load_mem(u->data, u->len, fname, &u->o, &cube, &counts, e) == 0) {
		struct indic_opts io = INDIC_OPTS_INIT;
		struct indic_result res;
		if (u->pkd && dataset_pkd_names(r->db, &cube, u->pkd, e) < 0) {
			cube_release(&cube);
			return -1;
		}
		if (indic_compute(&cube, &io, &res, e) == 0) {
			indic_result_release(&res);
		} else {
			cube_release(&cube);
			if (e->kind != KERR_TOOBIG)
				e->kind = KERR_INPUT;
			return -1;
		}
	} else {
		/* what the file holds (a value, a repeated cell, a missing column): the file's problem; a
		 * failure to get memory or the like stays the server's */
		if (e->kind == KERR_USAGE || e->kind == KERR_CONFLICT || e->kind == KERR_NOTFOUND)
			e->kind = KERR_INPUT;
		return -1;
	}
	if (dataset_store(r->db, u->name, u->title && *u->title ? u->title : u->name, u->source, u->licence,
			  u->kind && *u->kind ? u->kind : "teryt", &cube, e)) {
		cube_release(&cube);
		return -1;
	}
	shape[0] = cube.nreg;
	shape[1] = cube.nind;
	shape[2] = cube.nyear;
	buf_printf(&detail, "%s: %zu × %zu × %zu (%s, %ld rows)%s", u->name, cube.nreg, cube.nind, cube.nyear, fname,
		   counts.rows, replacing ? "; replaced" : "");
	id = stored_id(r->db, 0, u->name, &ae);
	auth_audit(r->db, actor(r), r->ip, "dataset-upload", "dataset", id > 0 ? id : 0, detail.ptr, &ae);
	cube_release(&cube);
	buf_release(&detail);
	return 0;
}

/* The value columns of a firm list as the form names them ("employment, emissions"): their
 * names into out[] (pointers into copy, which the caller frees), how many, or -1 for more than
 * FIRMS_MAX_VALUES (firms_values_check names the limit). */
static long value_columns(const char *text, char **copy, const char *out[FIRMS_MAX_VALUES + 1])
{
	char *p, *next;
	size_t n = 0;
	*copy = xstrdup(text ? text : "");
	for (p = *copy; p && *p; p = next) {
		char *end;
		next = strchr(p, ',');
		if (next)
			*next++ = '\0';
		while (*p == ' ' || *p == '\t')
			p++;
		for (end = p + strlen(p); end > p && (end[-1] == ' ' || end[-1] == '\t'); end--)
			;
		*end = '\0';
		if (!*p)
			continue;
		if (n == FIRMS_MAX_VALUES + 1)
			return -1;
		out[n++] = p;
	}
	return (long)n;
}

/*
 * A firm list uploaded (the form's "what" is firms, or PUT /api/v1/firm-datasets/NAME): u's file
 * read as `klaster import firms FILE --dataset NAME [--value COL]…` reads it (u->values the
 * columns), from a temporary file without a name holding the upload, its messages naming the
 * file as sent (u->filename); stored as list u->name (u->kind and u->o unused) in one transaction
 * with an audit line (replacing: one was stored).  0, or -1 with e: KERR_USAGE for the value
 * columns named, KERR_INPUT / KERR_TOOBIG for the file's problem, another kind for the server's;
 * nothing is stored then.
 */
static int firms_store_upload(struct req *r, const struct ds_upload *u, int replacing, struct kerr *e)
{
	struct spatial_firms_opts fo;
	struct spatial_firms f;
	const char *values[FIRMS_MAX_VALUES + 2];
	char *copy = NULL, path[64];
	long nv = value_columns(u->values, &copy, values);
	FILE *tmp = NULL;
	int rc = -1;
	memset(&fo, 0, sizeof(fo));
	if (nv < 0)
		nv = FIRMS_MAX_VALUES + 1;   /* one more than allowed: firms_values_check names the limit */
	if (nv && firms_values_check(values, (size_t)nv, e))
		goto out;
	/* the reader takes a file: the upload is written to one that has no name, read through its
	 * descriptor, and gone when it is closed */
	if (!(tmp = tmpfile()) || fwrite(u->data, 1, u->len, tmp) != u->len || fflush(tmp) != 0) {
		kerr_set(e, KERR_IO, "cannot keep the uploaded file for reading: %s", strerror(errno));
		goto out;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fileno(tmp));
	fo.display_name = u->filename && *u->filename ? u->filename : "upload";
	fo.attr_cols = nv ? values : NULL;
	fo.nattr = (size_t)nv;
	fo.attr_nonneg = 1;
	if (firms_read(path, &fo, &f, e)) {
		if (e->kind != KERR_TOOBIG && e->kind != KERR_IO && e->kind != KERR_INTERNAL)
			e->kind = KERR_INPUT;
		goto out;
	}
	if (firms_store(r->db, u->name, u->title && *u->title ? u->title : u->name, u->source, u->licence, &f,
			nv ? values : NULL, f.no_coords, e) == 0) {
		struct buf detail = BUF_INIT;
		struct kerr ae = KERR_INIT;
		long long id = stored_id(r->db, 1, u->name, &ae);
		buf_printf(&detail, "%s: %zu firms (%s)%s", u->name, f.n, fo.display_name, replacing ? "; replaced" : "");
		auth_audit(r->db, actor(r), r->ip, "firm-list-upload", "firm_list", id > 0 ? id : 0, detail.ptr, &ae);
		buf_release(&detail);
		rc = 0;
	}
	spatial_firms_release(&f);
out:
	if (tmp)
		fclose(tmp);
	free(copy);
	return rc;
}

/*
 * The reader's message msg about the file sent as name ("" or NULL: "upload", as the readers
 * call it) appended to out in the page's language.  The readers write English (as the command
 * line and the API give it); a Polish page keeps the file's place the message begins with
 * ("dane 2024.csv:12: ", the name as sent or as the reader shows it escaped), which is the same
 * in either language, and says the rest in Polish (i18n.h): the place is taken off first, since
 * a name of any words may look like the start of a sentence.  A message that does not begin
 * with the place goes to i18n_pl whole.
 */
static void reader_message(struct req *r, const char *name, const char *msg, struct buf *out)
{
	struct buf shown = BUF_INIT, pl = BUF_INIT;
	const char *names[2];
	size_t k, at = 0;
	if (!req_polish(r)) {
		buf_puts(out, msg);
		return;
	}
	names[0] = name && *name ? name : "upload";
	esc_filename(&shown, names[0]);
	names[1] = shown.ptr;
	for (k = 0; k < 2 && !at; k++) {
		size_t n = strlen(names[k]);
		if (strncmp(msg, names[k], n) != 0 || msg[n] != ':')
			continue;
		n += 1 + strspn(msg + n + 1, "0123456789");   /* "NAME:" and the line, when one is named */
		if (msg[n] == ':')
			n++;
		if (msg[n] == ' ' && msg[n - 1] == ':')
			at = n + 1;
	}
	buf_add(out, msg, at);
	buf_puts(out, i18n_pl(msg + at, &pl));
	buf_release(&shown);
	buf_release(&pl);
}

static void h_admin_datasets_upload(struct req *r)
{
	const struct form_file *file = req_file(r, "file");
	struct ds_upload u;
	struct buf msg = BUF_INIT;
	struct kerr e = KERR_INIT;
	size_t shape[3];
	long long n = 0;
	int firms;
	if (req_deny(r, auth_is_admin(&r->user)))
		return;
	memset(&u, 0, sizeof(u));
	upload_check(r, file, &u.o, &msg);
	if (msg.len) {
		r->status = 422;
		datasets_page(r, msg.ptr, NULL, NULL);
		buf_release(&msg);
		return;
	}
	firms = req_form(r, "what") && strcmp(req_form(r, "what"), "firms") == 0;
	u.data = file->data;
	u.len = file->len;
	u.filename = file->filename;   /* without its folder (form.c) */
	u.name = req_form(r, "name");
	u.title = req_form(r, "title");
	u.source = req_form(r, "source");
	u.licence = req_form(r, "licence");
	u.kind = req_form(r, "region_kind");
	u.values = req_form(r, "values");
	u.pkd = firms ? 0 : pkd_names_version(req_form(r, "industry_names"));
	if ((n = stored_id(r->db, firms, u.name, &e)) < 0)
		return req_error_kerr(r, &e);
	if (n && !req_form(r, "replace")) {
		buf_printf(&msg, "replace: %s",
			   firms ? L(r, "lista firm o tej nazwie już jest: zaznacz „Zastąp”, aby wgrać ją od nowa, albo "
					"podaj inną nazwę",
				     "a firm list of that name is stored: tick “Replace” to upload it anew, or give another "
				     "name")
				 : L(r, "zbiór o tej nazwie już jest: zaznacz „Zastąp”, aby wgrać go od nowa, albo podaj inną "
					"nazwę",
				     "a dataset of that name is stored: tick “Replace” to upload it anew, or give another "
				     "name"));
		r->status = 409;
		datasets_page(r, msg.ptr, NULL, NULL);
		buf_release(&msg);
		return;
	}
	if (firms ? firms_store_upload(r, &u, n > 0, &e) : ds_store_upload(r, &u, n > 0, shape, &e)) {
		if (e.kind != KERR_INPUT && e.kind != KERR_TOOBIG && e.kind != KERR_USAGE)
			return req_error_kerr(r, &e);
		buf_printf(&msg, "file: %s ", L(r, "pliku nie zapisano:", "the file was not stored:"));
		reader_message(r, file->filename, e.msg, &msg);
		r->status = e.kind == KERR_TOOBIG ? 413 : 422;
		datasets_page(r, msg.ptr, NULL, NULL);
		buf_release(&msg);
		return;
	}
	{
		struct buf to = BUF_INIT;
		buf_puts(&to, firms ? "/admin/datasets?stored_firms=" : "/admin/datasets?stored=");
		esc_url(&to, u.name);
		req_redirect(r, to.ptr);
		buf_release(&to);
	}
}

/* Deletes the stored dataset (firms: firm list) name of that id (stored_id), with an audit line
 * of who did (actor): 0, or -1 with e. */
static int stored_delete(struct req *r, int firms, const char *name, long long id, struct kerr *e)
{
	struct kerr ae = KERR_INIT;
	if (firms ? firms_delete(r->db, name, e) : dataset_delete(r->db, name, e))
		return -1;
	auth_audit(r->db, actor(r), r->ip, firms ? "firm-list-delete" : "dataset-delete", firms ? "firm_list" : "dataset",
		   id, name, &ae);
	return 0;
}

/* /admin/datasets/NAME/delete and /admin/firm-lists/NAME/delete: asked first, then deleted. */
static void delete_one(struct req *r, int firms)
{
	const char *name = r->arg;
	struct buf what = BUF_INIT, action = BUF_INIT;
	struct kerr e = KERR_INIT;
	long long id;
	if (req_deny(r, auth_is_admin(&r->user)))
		return;
	if ((id = stored_id(r->db, firms, name, &e)) < 0)
		return req_error_kerr(r, &e);
	if (!id)
		return req_error(r, 404, firms ? L(r, "Nie ma takiej listy firm.", "There is no such firm list.")
					       : L(r, "Nie ma takiego zbioru danych.", "There is no such dataset."));
	buf_printf(&action, firms ? "/admin/firm-lists/%s/delete" : "/admin/datasets/%s/delete", name);
	if (strcmp(r->method, "POST") != 0 || !web_confirmed(r)) {
		buf_printf(&what, "%s %s. %s", firms ? L(r, "Lista firm", "The firm list") : L(r, "Zbiór danych", "The dataset"),
			   name, L(r, "Zniknie z mapy klastrów, jej API i pobrań; tego nie można cofnąć.",
				   "It goes from the cluster map, its API and downloads; this cannot be undone."));
		web_confirm_page(r, firms ? L(r, "Usunąć listę firm?", "Delete the firm list?")
					  : L(r, "Usunąć zbiór danych?", "Delete the dataset?"),
				 what.ptr, action.ptr, NULL, L(r, "Usuń", "Delete"), "/admin/datasets");
		buf_release(&what);
		buf_release(&action);
		return;
	}
	buf_release(&what);
	buf_release(&action);
	if (stored_delete(r, firms, name, id, &e))
		return req_error_kerr(r, &e);
	req_redirect(r, "/admin/datasets");
}

static void h_dataset_delete(struct req *r)
{
	delete_one(r, 0);
}

static void h_firms_delete(struct req *r)
{
	delete_one(r, 1);
}

/* ---- the API: PUT and DELETE /api/v1/datasets/NAME and /api/v1/firm-datasets/NAME (an
 * administrator's token) ---- */

/* A yes/no parameter of the API (1/0, true/false, yes/no; absent: 0): 0 or 1, or -1. */
static int api_flag(const char *v)
{
	static const char *const yes[] = { "1", "true", "yes" }, *const no[] = { "0", "false", "no" };
	size_t k;
	if (!v)
		return 0;
	for (k = 0; k < 3; k++) {
		if (strcasecmp(v, yes[k]) == 0)
			return 1;
		if (strcasecmp(v, no[k]) == 0)
			return 0;
	}
	return -1;
}

/* What a PUT of a dataset (firms: a firm list) checks before its own parameters: the name in
 * its path (a new name's rules), its query parameters params (NULL-terminated; title, source and
 * licence first): no other (a mistyped one is not dropped unseen), each text, and those three one
 * line each.  0, or -1 having answered 400 with a
 * message naming what is wrong. */
static int api_put_params(struct req *r, int firms, const char *const *params)
{
	struct kerr e = KERR_INIT;
	size_t k;
	if (!r->arg || !dataset_name_new_ok(r->arg)) {
		kerr_set(&e, KERR_USAGE, "name: a %s's name has 1 to 60 lower-case letters, digits or '-', not "
			 "beginning with '-'", kinds[firms].what);
		req_error(r, 400, e.msg);
		return -1;
	}
	for (k = 0; params[k]; k++)
		;
	if (web_param_refused(r, params, k, "stored"))
		return -1;
	if (web_args_text(r, params, &e)) {
		req_error(r, 400, e.msg);
		return -1;
	}
	for (k = 0; k < 3; k++) {
		const char *v = req_arg(r, params[k]);
		if (v && *v && dataset_text_ok(params[k], v, &e)) {
			req_error(r, 400, e.msg);
			return -1;
		}
	}
	return 0;
}

/* The body of a PUT of a dataset (firms: a firm list): the file as it is — a CSV or TSV, or bytes
 * a script did not label (another Content-Type: 415) — and not empty (400), put into u with the
 * name of the path (which names the file in the reader's messages) and the title, source and
 * licence of the query (u's other fields untouched).  0, or -1 having answered. */
static int api_put_body(struct req *r, int firms, struct ds_upload *u)
{
	const char *ct = req_header(r, "Content-Type");
	struct kerr e = KERR_INIT;
	if (ct && strncasecmp(ct, "text/csv", 8) != 0 && strncasecmp(ct, "text/plain", 10) != 0 &&
	    strncasecmp(ct, "text/tab-separated-values", 25) != 0 && strncasecmp(ct, "application/octet-stream", 24) != 0) {
		kerr_set(&e, KERR_USAGE, "Content-Type: send %s as it is, as text/csv, text/tab-separated-values, "
			 "text/plain or application/octet-stream", kinds[firms].file);
		req_error(r, 415, e.msg);
		return -1;
	}
	if (!r->body || !r->body_len) {
		kerr_set(&e, KERR_USAGE, "the request body is %s, and it is empty", kinds[firms].file);
		req_error(r, 400, e.msg);
		return -1;
	}
	u->data = r->body;
	u->len = r->body_len;
	u->name = u->filename = r->arg;
	u->title = req_arg(r, "title");
	u->source = req_arg(r, "source");
	u->licence = req_arg(r, "licence");
	return 0;
}

/* A PUT stored u->name, whose JSON is in the answer: 201, or 200 when it replaced one (exists),
 * with Location: where the API reads it (a firm list: its firms' clusters). */
static void api_put_stored(struct req *r, int firms, const struct ds_upload *u, int exists)
{
	struct buf loc = BUF_INIT;
	r->status = exists ? 200 : 201;
	r->ctype = "application/json";
	buf_puts(&loc, firms ? "/api/v1/firm-clusters?dataset=" : "/api/v1/datasets/");
	buf_puts(&loc, u->name);   /* [a-z0-9-]: nothing to encode */
	req_header_add(r, "Location", loc.ptr);
	buf_release(&loc);
}

/* PUT /api/v1/datasets/NAME?title=…&source=…&licence=…&format=…&sum=1&region_kind=…&industry_names=…: the body is a
 * statistics file, stored as dataset NAME (created: 201, replaced: 200) as the upload form stores it. */
static void h_api_dataset_put(struct req *r)
{
	static const char *const params[] = { "title", "source", "licence", "format", "sum", "region_kind",
					      "industry_names", NULL };
	const char *fmt = req_arg(r, "format"), *kind = req_arg(r, "region_kind");
	struct ds_upload u;
	struct kerr e = KERR_INIT;
	size_t shape[3];
	long long id;
	int sum;
	memset(&u, 0, sizeof(u));
	if (api_put_params(r, 0, params))
		return;
	u.o.fmt = STATS_AUTO;
	if (fmt && strcmp(fmt, "auto") != 0 && stats_format_by_name(fmt, &u.o.fmt, &e))
		return req_error(r, 400, "format: give auto, long, firms, eurostat or bdl");
	if (kind && !dataset_region_kind_ok(kind))
		return req_error(r, 400, "region_kind: give teryt, nuts2013 or other");
	if ((u.pkd = pkd_names_version(req_arg(r, "industry_names"))) < 0)
		return req_error(r, 400, "industry_names: give pkd2007 or pkd2025 (or leave it out: the file's names)");
	if ((sum = api_flag(req_arg(r, "sum"))) < 0)
		return req_error(r, 400, "sum: give 1 or 0 (true or false, yes or no)");
	u.o.sum = sum;
	u.o.refuse_empty = 1;
	if (api_put_body(r, 0, &u))
		return;
	u.kind = kind;
	if ((id = stored_id(r->db, 0, u.name, &e)) < 0)
		return req_error_kerr(r, &e);
	if (ds_store_upload(r, &u, id > 0, shape, &e)) {
		if (e.kind == KERR_INPUT)
			return req_error(r, 422, e.msg);
		return req_error_kerr(r, &e);
	}
	buf_puts(&r->out, "{\"name\":");
	esc_json(&r->out, u.name);
	buf_printf(&r->out, ",\"regions\":%zu,\"industries\":%zu,\"years\":%zu,\"replaced\":%s}\n", shape[0], shape[1],
		   shape[2], id > 0 ? "true" : "false");
	api_put_stored(r, 0, &u, id > 0);
}

/* The answer of a firm list's PUT: the list as GET /api/v1/firm-datasets lists it, and whether it
 * replaced one (firms_list's each, which stops at the list named). */
struct firms_put_answer {
	struct req *r;
	const char *name;
	int replaced, found;
	struct kerr *e;
};

static int firms_put_each(void *ctx, const struct firms_info *d)
{
	struct firms_put_answer *a = ctx;
	if (strcmp(d->name, a->name) != 0)
		return 0;
	a->found = 1;
	buf_putc(&a->r->out, '{');
	if (web_firm_list_json(&a->r->out, a->r->db, d, a->e))
		return -1;
	buf_printf(&a->r->out, ",\"replaced\":%s}\n", a->replaced ? "true" : "false");
	return 1;
}

/* PUT /api/v1/firm-datasets/NAME?title=…&source=…&licence=…&values=COL,COL: the body is a firm
 * list, stored as list NAME (created: 201, replaced: 200) as the upload form stores it; a value
 * column named wrongly is a 400, a file the reader refuses a 422 naming its line. */
static void h_api_firms_put(struct req *r)
{
	static const char *const params[] = { "title", "source", "licence", "values", NULL };
	struct ds_upload u;
	struct kerr e = KERR_INIT;
	struct firms_put_answer a;
	long long id;
	memset(&u, 0, sizeof(u));
	if (api_put_params(r, 1, params) || api_put_body(r, 1, &u))
		return;
	u.values = req_arg(r, "values");
	if ((id = stored_id(r->db, 1, u.name, &e)) < 0)
		return req_error_kerr(r, &e);
	if (firms_store_upload(r, &u, id > 0, &e)) {
		if (e.kind == KERR_USAGE)   /* the value columns named: a 400 */
			kerr_prefix(&e, "values");
		if (e.kind == KERR_INPUT)
			return req_error(r, 422, e.msg);
		return req_error_kerr(r, &e);
	}
	memset(&a, 0, sizeof(a));
	a.r = r;
	a.name = u.name;
	a.replaced = id > 0;
	a.e = &e;
	if (firms_list(r->db, firms_put_each, &a, &e) || e.kind != KERR_NONE)
		return req_error_kerr(r, &e);
	if (!a.found)   /* deleted as soon as it was stored */
		return req_error(r, 404, "There is no such firm list.");
	api_put_stored(r, 1, &u, id > 0);
}

/* DELETE /api/v1/datasets/NAME and /api/v1/firm-datasets/NAME: 204, or 404 when there is none. */
static void api_delete(struct req *r, int firms)
{
	static const char *const none[] = { NULL };
	struct kerr e = KERR_INIT;
	long long id;
	if (web_param_refused(r, none, 0, "deleted"))   /* a delete takes no parameter */
		return;
	id = stored_id(r->db, firms, r->arg, &e);
	if (id < 0)
		return req_error_kerr(r, &e);
	if (!id) {   /* worded as GET's 404; a path that is no name is not echoed */
		if (r->arg && dataset_name_new_ok(r->arg))
			kerr_set(&e, KERR_NOTFOUND, "There is no %s '%s'.", kinds[firms].what, r->arg);
		else
			kerr_set(&e, KERR_NOTFOUND, "There is no such %s.", kinds[firms].what);
		return req_error(r, 404, e.msg);
	}
	if (stored_delete(r, firms, r->arg, id, &e))
		return req_error_kerr(r, &e);
	r->status = 204;
	r->ctype = "application/json";
}

static void h_api_dataset_delete(struct req *r)
{
	api_delete(r, 0);
}

static void h_api_firms_delete(struct req *r)
{
	api_delete(r, 1);
}

const struct route dataset_routes[] = {
	{ "GET", "/admin/datasets", h_admin_datasets, R_DB | R_LOGIN },
	{ "POST", "/admin/datasets", h_admin_datasets_upload, R_DB | R_UPLOAD | R_LOGIN },
	{ "GET", "/admin/datasets/*/delete", h_dataset_delete, R_DB | R_LOGIN | R_PREFIX },
	{ "POST", "/admin/datasets/*/delete", h_dataset_delete, R_DB | R_FORM | R_LOGIN | R_PREFIX },
	{ "GET", "/admin/firm-lists/*/delete", h_firms_delete, R_DB | R_LOGIN | R_PREFIX },
	{ "POST", "/admin/firm-lists/*/delete", h_firms_delete, R_DB | R_FORM | R_LOGIN | R_PREFIX },
	{ "PUT", "/api/v1/datasets/", h_api_dataset_put, R_DB | R_API | R_ADMIN | R_PREFIX | R_BIG },
	{ "DELETE", "/api/v1/datasets/", h_api_dataset_delete, R_DB | R_API | R_ADMIN | R_PREFIX },
	{ "PUT", "/api/v1/firm-datasets/", h_api_firms_put, R_DB | R_API | R_ADMIN | R_PREFIX | R_BIG },
	{ "DELETE", "/api/v1/firm-datasets/", h_api_firms_delete, R_DB | R_API | R_ADMIN | R_PREFIX },
	{ NULL, NULL, NULL, 0 }
};
