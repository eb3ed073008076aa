/* test_jsonerr.c — JSON that jansson does not read, in klaster's words (src/jsonerr.c): where the
 * place is (line, column, field, feature) and what to change, for a body and for files. */
#include "t.h"
#include "jsonerr.h"

/* jsonerr_load of a C string (with len: up to its NULs too) as what, named "b.geojson"; the
 * message, or "(read)" when it was read. */
static const char *load_len(const char *s, size_t len, size_t flags, enum jsonerr_text what, struct kerr *e)
{
	json_t *v;
	kerr_clear(e);
	v = jsonerr_load(s, len, flags, what, what == JSONERR_BODY ? NULL : "b.geojson", e);
	if (v) {
		json_decref(v);
		return "(read)";
	}
	return e->msg;
}

static const char *load(const char *s, enum jsonerr_text what, struct kerr *e)
{
	return load_len(s, strlen(s), 0, what, e);
}

/* jansson's own words, which no message may show */
static int no_library_words(const char *msg)
{
	static const char *const words[] = { "JSON_", "near '", "near end of file", "unable to decode",
					     "maximum parsing depth", "too big", "duplicate object key",
					     "real number overflow", "invalid token", "expected near",
					     "premature end of input", NULL };
	int i;
	for (i = 0; words[i]; i++)
		if (strstr(msg, words[i]))
			return 0;
	return 1;
}

#define FC_START "{\"type\": \"FeatureCollection\", \"features\": [\n"
#define FEAT "{\"type\": \"Feature\", \"properties\": {\"teryt\": \"02\"}, \"geometry\": null}"

T_TEST(body_words)
{
	struct kerr e = KERR_INIT;
	/* the API's messages: the outer object's field, the body named as such */
	T_EQ_STR(load("{\"name\": \"A\", \"demo\": tru}", JSONERR_BODY, &e),
		 "line 1, column 25, in field demo: this is not a JSON value: text goes in double quotes; true, false "
		 "and null are written in lower case; a number has digits after its point and exponent");
	T_EQ_INT(e.kind, KERR_USAGE);
	T_EQ_STR(load(" \n ", JSONERR_BODY, &e), "the body is empty: send one JSON object { \"field\": value, ... }");
	T_EQ_STR(load_len("{\"name\": \"Firma X\"\0}", 20, 0, JSONERR_BODY, &e),
		 "line 1, column 19, in field name: the body holds a NUL byte: leave it out (a text may hold no NUL "
		 "character either)");
	T_EQ_STR(load("{\"a\": {\"b\": tru}}", JSONERR_BODY, &e) + 0,
		 "line 1, column 15, in field a: this is not a JSON value: text goes in double quotes; true, false "
		 "and null are written in lower case; a number has digits after its point and exponent");
	T_EQ_STR(load_len("{\"name\": \"A\", \"city\": \"B\",\n \"name\": \"C\"}", 40, JSON_REJECT_DUPLICATES,
			  JSONERR_BODY, &e), "line 2, column 7: field name is given twice: give each field once");
	/* an inner object's key given twice is not named in a body */
	T_EQ_STR(load_len("{\"a\":{\"b\":1,\"b\":2}}", 19, JSON_REJECT_DUPLICATES, JSONERR_BODY, &e),
		 "line 1, column 15: a field is given twice: give each field once");
	T_EQ_STR(load("\"Firma\"", JSONERR_BODY, &e),
		 "line 1, column 7: the body must be one JSON object: { \"field\": value, ... }");
}

T_TEST(file_words)
{
	struct kerr e = KERR_INIT;
	const char *m;
	/* a file: its name, "invalid JSON at", the innermost field; KERR_INPUT */
	T_EQ_STR(load("{\"a\": {\"b\": tru}}", JSONERR_FILE, &e),
		 "b.geojson: invalid JSON at line 1, column 15, in field b: this is not a JSON value: text goes in "
		 "double quotes; true, false and null are written in lower case; a number has digits after its "
		 "point and exponent");
	T_EQ_INT(e.kind, KERR_INPUT);
	T_EQ_STR(load("", JSONERR_FILE, &e), "b.geojson: the file is empty: it holds no JSON");
	T_EQ_STR(load(" \r\n", JSONERR_GEOJSON, &e),
		 "b.geojson: the file holds nothing but blanks: a GeoJSON file holds one FeatureCollection "
		 "{ \"type\": \"FeatureCollection\", \"features\": [ ... ] }");
	T_EQ_STR(load("hello", JSONERR_GEOJSON, &e),
		 "b.geojson: invalid JSON at line 1, column 5: a GeoJSON file holds one object: { \"type\": "
		 "\"FeatureCollection\", \"features\": [ ... ] }");
	T_EQ_STR(load("{}\n{}", JSONERR_FILE, &e),
		 "b.geojson: invalid JSON at line 2, column 1: more follows the end of the JSON: a file holds one "
		 "value and nothing after it (were two joined?)");
	T_EQ_STR(load("{\"name\": \"Gda\xf1sk\"}", JSONERR_FILE, &e),
		 "b.geojson: invalid JSON at line 1, column 13, in field name: the file is not UTF-8 (a byte 0xF1): "
		 "save it in UTF-8 (iconv -f cp1250 -t utf-8 from Windows-1250, -f iso-8859-2 from ISO-8859-2)");
	T_EQ_STR(load("{\"name\": \"Gda\nsk\"}", JSONERR_FILE, &e),
		 "b.geojson: invalid JSON at line 1, column 13, in field name: a text in double quotes runs on to the "
		 "end of the line: end it with its closing quote (\"), or write a line break in it as \\n");
	/* the whole number and the real number too large are told apart */
	m = load("{\"n\": 123456789012345678901234567890}", JSONERR_FILE, &e);
	T_OK(strstr(m, "in field n: the whole number is too large to read") != NULL);
	m = load("{\"n\": [1e999]}", JSONERR_FILE, &e);
	T_OK(strstr(m, "in field n: the number is too large to read (about 1.8e308 at most)") != NULL);
	/* a file's inner key given twice is named */
	T_EQ_STR(load_len("{\"a\":{\"b\":1,\"b\":2}}", 19, JSON_REJECT_DUPLICATES, JSONERR_FILE, &e),
		 "b.geojson: invalid JSON at line 1, column 15: field b is given twice: give each field once");
	/* \u0000 in a text: jansson's option is not named */
	m = load("{\"t\": \"a\\u0000b\"}", JSONERR_FILE, &e);
	T_OK(strstr(m, "in field t: a text holds \\u0000 (a NUL character), which klaster does not take") != NULL);
	T_OK(no_library_words(m));
}

T_TEST(nul_bytes)
{
	struct kerr e = KERR_INIT;
	static const char utf16[] = "{\0\"\0t\0y\0p\0e\0\"\0:\0 \0\"\0F\0\"\0}\0";
	/* the column of a NUL byte counts characters, as jansson does: ł is one */
	T_EQ_STR(load_len("{\"name\":\n \"\xc5\x82\xc3\xb3\0d\"}", 19, 0, JSONERR_FILE, &e),
		 "b.geojson: invalid JSON at line 2, column 5, in field name: the file holds a NUL byte, which no "
		 "JSON text holds: leave it out (is it the file meant, whole and saved as text?)");
	/* UTF-16 without its byte-order mark: a NUL in every other byte */
	T_EQ_STR(load_len(utf16, sizeof(utf16) - 1, 0, JSONERR_GEOJSON, &e),
		 "b.geojson: the file is in UTF-16 (a NUL byte in every other one); GeoJSON is UTF-8: convert it "
		 "(iconv -f utf-16 -t utf-8)");
}

T_TEST(features)
{
	struct kerr e = KERR_INIT;
	const char *m;
	/* the feature a place is in, counted from 1 as the file's features are */
	m = load(FC_START FEAT ",\n" FEAT ",\n{\"type\": \"Feature\", \"properties\": {\"name\": tru}}]}",
		 JSONERR_GEOJSON, &e);
	T_EQ_STR(m, "b.geojson: invalid JSON at line 4, column 46, in feature 3, field name: this is not a JSON value: "
		 "text goes in double quotes; true, false and null are written in lower case; a number has digits "
		 "after its point and exponent");
	/* brackets, commas and escaped quotes in texts do not count */
	m = load(FC_START "{\"type\": \"Feature\", \"properties\": {\"name\": \"a],[{\\\"b\"}, \"geometry\": "
		 "{\"type\": \"Point\", \"coordinates\": [1, 2 3]}}]}", JSONERR_GEOJSON, &e);
	T_OK(strstr(m, "column 108, in feature 1, field coordinates: a comma (,) between two values, or the closing ], "
		    "is expected here") != NULL);
	/* a missing comma between two features: the one begun */
	m = load(FC_START FEAT "\n" FEAT "]}", JSONERR_GEOJSON, &e);
	T_OK(strstr(m, "line 3, column 1, in feature 2: a comma (,) between two values") != NULL);
	/* after the last feature's comma, before another: none named, the field is */
	m = load(FC_START FEAT ",\n]}", JSONERR_GEOJSON, &e);
	T_OK(strstr(m, "line 3, column 1, in field features: a value is expected here") != NULL);
	/* cut in a feature's coordinates */
	m = load(FC_START FEAT ",\n{\"type\": \"Feature\", \"geometry\": {\"type\": \"Polygon\", \"coordinates\": "
		 "[[[1, 2], [3,", JSONERR_GEOJSON, &e);
	T_OK(strstr(m, "in feature 2, field coordinates: the file ends before the JSON does") != NULL);
	T_OK(no_library_words(m));
	/* outside the features: the outer field; "features" of an inner object is no list of features */
	m = load("{\"type\": \"FeatureCollection\" \"features\": []}", JSONERR_GEOJSON, &e);
	T_OK(strstr(m, "line 1, column 39, in field type: a comma (,) between two fields") != NULL);
	m = load("{\"x\": {\"features\": [{\"a\": tru}]}}", JSONERR_GEOJSON, &e);
	T_OK(strstr(m, "column 29, in field a: this is not") != NULL && !strstr(m, "feature 1"));
	/* a plain JSON file names no feature */
	m = load(FC_START FEAT ",\n{\"type\": tru}]}", JSONERR_FILE, &e);
	T_OK(strstr(m, "column 12, in field type: this is not") != NULL && !strstr(m, "feature"));
}

T_TEST(deep)
{
	struct kerr e = KERR_INIT;
	struct buf b = BUF_INIT;
	const char *m;
	int i;
	buf_puts(&b, FC_START "{\"type\": \"Feature\", \"geometry\": {\"coordinates\": ");
	for (i = 0; i < 3000; i++)
		buf_putc(&b, '[');
	m = load(b.ptr, JSONERR_GEOJSON, &e);
	T_OK(strstr(m, "in feature 1, field coordinates: arrays or objects are nested more than 2048 deep") != NULL);
	T_OK(no_library_words(m));
	buf_release(&b);
}

int main(void)
{
	T_RUN(body_words);
	T_RUN(file_words);
	T_RUN(nul_bytes);
	T_RUN(features);
	T_RUN(deep);
	return t_done();
}
