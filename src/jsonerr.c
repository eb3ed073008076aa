/* jsonerr.c — JSON that jansson does not read, told in klaster's words (see jsonerr.h). */
#include "jsonerr.h"

#include "buf.h"
#include "esc.h"

/* The levels of nesting whose keys and values a scan keeps (a GeoJSON MultiPolygon's coordinates
 * are 8 deep); a place deeper is named by these. */
#define LEVELS 16

/* Where a byte of a JSON text is, as read from its start (jansson stops at the first error, so the
 * text before it reads as JSON; a NUL byte found first may follow anything). */
struct place {
	int depth;   /* how deep: 1 in the outer object or array; < 1 outside it */
	struct {
		char open;              /* '{' or '[' */
		int keyed;              /* the place is in the value of the key ... */
		size_t kstart, kend;    /* ... at these bytes, quotes included */
		size_t items;           /* an array: its values begun */
		int next;               /* an array: a value may begin (after [ or ,) */
	} at[LEVELS + 1];   /* [1 .. min(depth, LEVELS)] */
};

static int blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* p: the place of the byte at pos of the len at json. */
static void place_scan(const char *json, size_t len, size_t pos, struct place *p)
{
	size_t i, kstart = 0, kend = 0;
	int in_str = 0, esc = 0, have_key = 0, d;
	memset(p, 0, sizeof(*p));
	for (i = 0; i < pos && i < len; i++) {
		char c = json[i];
		if (in_str) {
			if (esc)
				esc = 0;
			else if (c == '\\')
				esc = 1;
			else if (c == '"') {
				in_str = 0;
				kend = i + 1;
				have_key = 1;   /* a key, when a colon follows */
			}
			continue;
		}
		d = p->depth;
		if (d >= 1 && d <= LEVELS && p->at[d].open == '[' && !blank(c) && c != ',' && c != ']' && c != ':') {
			/* a value of the array begins: a container or a text always, a word or a number
			 * after [ or a comma (its other characters follow it) */
			if (c == '{' || c == '[' || c == '"' || p->at[d].next)
				p->at[d].items++;
			p->at[d].next = 0;
		}
		if (c == '"') {
			in_str = 1;
			kstart = i;
		} else if (c == '{' || c == '[') {
			if (++p->depth >= 1 && p->depth <= LEVELS) {
				memset(&p->at[p->depth], 0, sizeof(p->at[p->depth]));
				p->at[p->depth].open = c;
				p->at[p->depth].next = 1;
			}
		} else if (c == '}' || c == ']') {
			if (d >= 1 && d <= LEVELS)
				memset(&p->at[d], 0, sizeof(p->at[d]));   /* past its end */
			p->depth--;
		} else if (c == ':' && d >= 1 && d <= LEVELS && have_key) {
			p->at[d].kstart = kstart, p->at[d].kend = kend, p->at[d].keyed = 1;
		} else if (c == ',' && d >= 1 && d <= LEVELS) {
			p->at[d].keyed = 0;
			p->at[d].next = 1;
		}
		if (!blank(c) && c != '"')
			have_key = 0;
	}
}

/* The key at level d of p (in json) decoded into out (size bytes); "" when there is none or it cannot
 * be decoded. */
static void place_key(const char *json, const struct place *p, int d, char *out, size_t size)
{
	json_error_t jerr;
	json_t *k;
	out[0] = '\0';
	if (d < 1 || d > LEVELS || !p->at[d].keyed)
		return;
	k = json_loadb(json + p->at[d].kstart, p->at[d].kend - p->at[d].kstart, JSON_DECODE_ANY, &jerr);
	if (k && json_is_string(k) && strlen(json_string_value(k)) == json_string_length(k))
		esc_cut(out, json_string_value(k), size - 1);
	json_decref(k);
}

/* The feature of a GeoJSON text p is in: its number in the outer object's "features" (from 1), or 0. */
static size_t place_feature(const char *json, const struct place *p)
{
	static const char features[] = "\"features\"";
	if (p->depth < 2 || p->at[1].open != '{' || !p->at[1].keyed || p->at[2].open != '['
	    || p->at[1].kend - p->at[1].kstart != sizeof(features) - 1
	    || memcmp(json + p->at[1].kstart, features, sizeof(features) - 1) != 0)
		return 0;
	return p->at[2].items;
}

/* The field p is in: for a body the outer object's key, for a file the innermost object's (one of
 * the feature, when feature is set), into out. */
static void place_field(const char *json, const struct place *p, enum jsonerr_text what, size_t feature,
			char *out, size_t size)
{
	int d = p->depth < LEVELS ? p->depth : LEVELS, low = feature ? 3 : 1;
	out[0] = '\0';
	if (what == JSONERR_BODY) {
		place_key(json, p, 1, out, size);
		return;
	}
	for (; d >= low && p->at[d].open == '['; d--)
		;
	if (d >= low)
		place_key(json, p, d, out, size);
}

/* The key just read before pos (one jansson found twice) into out: a body's of its outer object
 * alone ("" for an inner one's), a file's of any; p: the place in the key's value. */
static void key_before(const char *json, size_t len, size_t pos, enum jsonerr_text what, char *out, size_t size,
		       struct place *p)
{
	struct buf b = BUF_INIT;
	/* the place in the value of the key: the text up to it with a colon after the key */
	memset(p, 0, sizeof(*p));
	if (pos > len)
		pos = len;
	buf_add(&b, json, pos);
	buf_putc(&b, ':');
	out[0] = '\0';
	if (!buf_failed(&b)) {
		place_scan(b.ptr, b.len, b.len, p);
		if (what != JSONERR_BODY || p->depth == 1)
			place_key(b.ptr, p, p->depth, out, size);
	}
	buf_release(&b);
}

/* What jansson's error texts (load.c of jansson 2.x) mean, in klaster's words: what to change at the
 * line and column named.  The outer value ("'[' or '{' expected") and what follows it are said by
 * the kind of text. */
static const struct {
	const char *text;   /* the start of jansson's text */
	const char *says;
	const char *in_file;   /* what it means in a file, when that is more likely (NULL: says) */
} syntax_words[] = {
	{ "string or '}' expected", "a field name in double quotes, or the closing }, is expected here", NULL },
	{ "':' expected", "a colon (:) is expected after the field name", NULL },
	{ "'}' expected", "a comma (,) between two fields, or the closing }, is expected here", NULL },
	{ "']' expected", "a comma (,) between two values, or the closing ], is expected here", NULL },
	{ "unexpected token", "a value is expected here: text in double quotes, a number, true, false or null",
	  NULL },
	{ "invalid token", "this is not a JSON value: text goes in double quotes; true, false and null are "
			   "written in lower case; a number has digits after its point and exponent", NULL },
	{ "unexpected newline", "a text in double quotes holds a line break: write it as \\n",
	  "a text in double quotes runs on to the end of the line: end it with its closing quote (\"), or "
	  "write a line break in it as \\n" },
	{ "control character", "a text in double quotes holds a control character: write it as \\t, \\n or \\u00XX",
	  NULL },
	{ "invalid escape", "a text holds an invalid escape: a backslash is followed by \", \\, /, b, f, n, r, t, "
			    "or u and four hexadecimal digits", NULL },
	{ "invalid Unicode", "a text holds half of a character written as \\uD800-\\uDFFF without its other half",
	  NULL },
	{ NULL, NULL, NULL }
};

/* The words of each kind of text for the other errors jansson names. */
static const struct words {
	const char *top;        /* "'[' or '{' expected": the outer value that was expected */
	const char *more;       /* "end of file expected": more after the outer value */
	const char *ends;       /* premature end of input */
	const char *empty;      /* nothing but blanks */
	const char *nul_byte;   /* a NUL byte in the text (which jansson did not see) */
	const char *nul_text;   /* \u0000 in a text */
	const char *nul_key;    /* \u0000 in a field name */
	const char *not_utf8;   /* then ": what to do" */
	const char *utf8_do;
	const char *deep;       /* a format with %d: the depth jansson reads */
	const char *big_whole;  /* an integer beyond long long */
	const char *big_real;   /* a number beyond double */
} words[] = {
	[JSONERR_BODY] = {
		"the body must be one JSON object: { \"field\": value, ... }",
		"more follows the end of the JSON object: send one object and nothing after it",
		"the body ends before the JSON object does (a closing quote, ] or } is missing, or a value after "
		"a colon)",
		"the body is empty: send one JSON object { \"field\": value, ... }",
		"the body holds a NUL byte: leave it out (a text may hold no NUL character either)",
		"the text holds a NUL character (\\u0000): leave it out",
		"a field name holds a NUL character (\\u0000): leave it out",
		"the body is not UTF-8", "send the text in UTF-8",
		"arrays or objects are nested more than %d deep: a field takes one value (text, a number, true, "
		"false or null)",
		"the number is too large to read (a whole number from -9223372036854775808 to 9223372036854775807): "
		"send a longer one as text in double quotes",
		"the number is too large to read (a whole number from -9223372036854775808 to 9223372036854775807): "
		"send a longer one as text in double quotes",
	},
#define FILE_WORDS(top, more, empty) { \
		top, more, \
		"the file ends before the JSON does (a closing quote, ] or } is missing, or a value after a " \
		"colon): is the file whole?", \
		empty, \
		"the file holds a NUL byte, which no JSON text holds: leave it out (is it the file meant, whole " \
		"and saved as text?)", \
		"a text holds \\u0000 (a NUL character), which klaster does not take: leave it out", \
		"a field name holds \\u0000 (a NUL character): leave it out", \
		"the file is not UTF-8", "save it in UTF-8 (iconv -f cp1250 -t utf-8 from Windows-1250, -f iso-8859-2 from " \
		"ISO-8859-2)", \
		"arrays or objects are nested more than %d deep, deeper than klaster reads: nest them less", \
		"the whole number is too large to read (from -9223372036854775808 to 9223372036854775807): write " \
		"a longer one as text in double quotes", \
		"the number is too large to read (about 1.8e308 at most): correct it", \
	}
	[JSONERR_FILE] = FILE_WORDS("a JSON file holds one object { ... } or array [ ... ]",
				    "more follows the end of the JSON: a file holds one value and nothing after it "
				    "(were two joined?)",
				    "it holds no JSON"),
	[JSONERR_GEOJSON] = FILE_WORDS("a GeoJSON file holds one object: { \"type\": \"FeatureCollection\", "
				       "\"features\": [ ... ] }",
				       "more follows the end of the outer object: a GeoJSON file holds one "
				       "FeatureCollection and nothing after it (were two files joined?)",
				       "a GeoJSON file holds one FeatureCollection { \"type\": \"FeatureCollection\", "
				       "\"features\": [ ... ] }"),
#undef FILE_WORDS
};

/* A text with a NUL byte in every other one of its first: UTF-16 saved without its mark. */
static int looks_utf16(const char *json, size_t len)
{
	size_t i, zeros = 0, n = len < 64 ? len : 64;
	for (i = 0; i < n; i++)
		zeros += json[i] == '\0';
	return n >= 4 && zeros * 2 >= n - 1;
}

int jsonerr_set(struct kerr *e, enum jsonerr_text what, const char *name, const char *json, size_t len,
		const json_error_t *jerr)
{
	const struct words *w = &words[what];
	enum kerr_kind kind = what == JSONERR_BODY ? KERR_USAGE : KERR_INPUT;
	enum json_error_code code = jerr ? json_error_code(jerr) : json_error_null_character;
	char field[104], at[160], where[300], says[400];
	struct place p;
	size_t pos, i, feature = 0;
	int line = 1, col = 1, k;
	unsigned hex = 0;
	if (!name)
		name = "";
	if (code == json_error_out_of_memory)
		return kerr_set(e, KERR_INTERNAL, "%s%sout of memory reading the JSON", name, name[0] ? ": " : "");
	if (code == json_error_premature_end_of_input) {
		for (i = 0; i < len && blank(json[i]); i++)
			;
		if (i == len && what == JSONERR_BODY)
			return kerr_set(e, kind, "%s", w->empty);
		if (i == len)
			return kerr_set(e, kind, "%s: the file %s: %s", name, len ? "holds nothing but blanks" : "is empty",
					w->empty);
	}
	if (!jerr && what != JSONERR_BODY && looks_utf16(json, len))
		return kerr_set(e, kind, "%s: the file is in UTF-16 (a NUL byte in every other one); %s is UTF-8: "
				"convert it (iconv -f utf-16 -t utf-8)", name, what == JSONERR_GEOJSON ? "GeoJSON" : "JSON");

	/* where: the line and column (jansson's; for a NUL byte counted here, in characters as it
	 * counts them), the feature and the field */
	if (!jerr) {
		const char *nul = memchr(json, '\0', len);
		pos = nul ? (size_t)(nul - json) : len;
		for (i = 0; i < pos; i++)
			if (json[i] == '\n')
				line++, col = 1;
			else if (((unsigned char)json[i] & 0xC0) != 0x80)
				col++;
	} else {
		pos = jerr->position > 0 ? (size_t)jerr->position : 0;
		line = jerr->line > 0 ? jerr->line : 1;
		col = jerr->column > 0 ? jerr->column : 1;
	}
	if (pos > len)
		pos = len;
	if (code == json_error_duplicate_key) {
		key_before(json, len, pos, what, field, sizeof(field), &p);
	} else {
		place_scan(json, len, pos, &p);
		place_field(json, &p, what, what == JSONERR_GEOJSON ? place_feature(json, &p) : 0, field, sizeof(field));
	}
	/* (the outer key's bytes are the same in json as in key_before's copy) */
	if (what == JSONERR_GEOJSON)
		feature = place_feature(json, &p);
	if (what == JSONERR_BODY)
		snprintf(at, sizeof(at), "line %d, column %d", line, col);
	else if (feature)
		snprintf(at, sizeof(at), "invalid JSON at line %d, column %d, in feature %zu", line, col, feature);
	else
		snprintf(at, sizeof(at), "invalid JSON at line %d, column %d", line, col);
	if (field[0] && code != json_error_duplicate_key)
		snprintf(where, sizeof(where), "%s, %s %s", at, feature ? "field" : "in field", field);
	else
		snprintf(where, sizeof(where), "%s", at);

	/* what is wrong there, and what to do */
	says[0] = '\0';
	switch (code) {
	case json_error_null_character:
		snprintf(says, sizeof(says), "%s", jerr ? w->nul_text : w->nul_byte);
		break;
	case json_error_null_byte_in_key:
		snprintf(says, sizeof(says), "%s", w->nul_key);
		break;
	case json_error_invalid_utf8:
		if (sscanf(jerr->text, "unable to decode byte 0x%x", &hex) == 1)
			snprintf(says, sizeof(says), "%s (a byte 0x%02X): %s", w->not_utf8, hex & 0xFF, w->utf8_do);
		else
			snprintf(says, sizeof(says), "%s: %s", w->not_utf8, w->utf8_do);
		break;
	case json_error_duplicate_key:
		if (field[0])
			snprintf(says, sizeof(says), "field %s is given twice: give each field once", field);
		else
			snprintf(says, sizeof(says), "a field is given twice: give each field once");
		break;
	case json_error_stack_overflow:
		snprintf(says, sizeof(says), w->deep, JSON_PARSER_MAX_DEPTH);
		break;
	case json_error_numeric_overflow:
		snprintf(says, sizeof(says), "%s", strncmp(jerr->text, "real", 4) == 0 ? w->big_real : w->big_whole);
		break;
	case json_error_premature_end_of_input:
		snprintf(says, sizeof(says), "%s", w->ends);
		break;
	case json_error_end_of_input_expected:
		snprintf(says, sizeof(says), "%s", w->more);
		break;
	default:
		if (strncmp(jerr->text, "'[' or '{' expected", 19) == 0) {
			snprintf(says, sizeof(says), "%s", w->top);
			break;
		}
		for (k = 0; syntax_words[k].text && !says[0]; k++)
			if (strncmp(jerr->text, syntax_words[k].text, strlen(syntax_words[k].text)) == 0)
				snprintf(says, sizeof(says), "%s", what != JSONERR_BODY && syntax_words[k].in_file ?
					 syntax_words[k].in_file : syntax_words[k].says);
		break;
	}
	if (!says[0])
		snprintf(says, sizeof(says), "this is not valid JSON");
	if (what == JSONERR_BODY)
		return kerr_set(e, kind, "%s: %s", where, says);
	return kerr_set(e, kind, "%s: %s: %s", name, where, says);
}

json_t *jsonerr_load(const char *json, size_t len, size_t flags, enum jsonerr_text what, const char *name,
		     struct kerr *e)
{
	json_error_t jerr;
	json_t *root;
	if (memchr(json, '\0', len)) {   /* jansson would stop reading there, or take what came before */
		jsonerr_set(e, what, name, json, len, NULL);
		return NULL;
	}
	if (!(root = json_loadb(json, len, flags, &jerr)))
		jsonerr_set(e, what, name, json, len, &jerr);
	return root;
}
