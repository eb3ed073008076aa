/*
 * valid.h — validators for user input (import files, forms, queries).
 *
 * Every validator follows one contract:
 *   - it returns 0 when the input is valid and, where the function has an
 *     out parameter, writes the normalised form there (out is written only
 *     on success; it may be NULL when the caller needs only the verdict);
 *   - it returns -1 when the input is invalid and appends to why one reason
 *     a person can act on: English, lower-case start, no trailing period,
 *     phrased so that it reads well after "column nip: ", e.g.
 *     "check digit does not match (expected 5, got 3)";
 *   - why may be NULL (the reason is dropped); it is never reset, only
 *     appended to;
 *   - the identifiers' validators (NIP, REGON, KRS) begin the reason with
 *     the value given, trimmed and quoted — "'526-025-02-73': check digit
 *     does not match (expected 4, got 3)" — at most 40 bytes of it, a quote
 *     or backslash in it escaped by a backslash, control characters and
 *     bytes that are not UTF-8 as \xHH (so the reason is one line); an
 *     empty value is not quoted;
 *   - in may be NULL, which is treated as the empty string.
 *
 * Validators that write a normalised form (identifiers, codes, years,
 * coordinates) ignore leading and trailing spaces and tabs.  Those that
 * only judge a value the caller stores as given (e-mail, URL, phone, date)
 * accept no surrounding spaces, so that what is stored is what was checked.
 *
 * The functions are pure: no global state, no allocation except in why.
 */
#ifndef KLASTER_VALID_H
#define KLASTER_VALID_H

#include <stddef.h>

#include "buf.h"

/*
 * NIP (tax identification number): 10 digits; the tenth is the check digit
 * sum(d[i] * w[i], i = 0..8) mod 11 with weights 6,5,7,2,3,4,5,6,7, where a
 * remainder of 10 means no valid NIP has those nine digits.  Dashes and
 * spaces between digits and a "PL" prefix (either case) are accepted;
 * out gets the 10 bare digits.  "0000000000" is rejected as a placeholder.
 */
int valid_nip(const char *in, char out[11], struct buf *why);

/*
 * The NIP check digit of the first nine characters of nine_digits.
 * Returns 0..9; 10 when the remainder is 10 (no valid NIP starts with these
 * digits); -1 when nine_digits is NULL or its first nine characters are not
 * all digits.
 */
int nip_check_digit(const char *nine_digits);

/*
 * REGON (statistical number): 9 digits (weights 8,9,2,3,4,5,6,7) or 14
 * digits (weights 2,4,8,5,0,9,7,3,6,1,2,4,8); the last digit is the weighted
 * sum mod 11, with 10 counting as 0.  The 14 digits of a local unit begin
 * with the 9-digit REGON of its entity, whose check digit must hold too.  Dashes and spaces between digits are
 * accepted; out gets the bare digits.  All zeros are rejected.
 */
int valid_regon(const char *in, char out[15], struct buf *why);

/*
 * The REGON check digit of the first n characters of digits, where n is the
 * number of weighed digits: 8 (for a 9-digit REGON) or 13 (for a 14-digit
 * one).  Returns 0..9 (a remainder of 10 already mapped to 0), or -1 when n
 * is neither 8 nor 13 or a character is not a digit.
 */
int regon_check_digit(const char *digits, size_t n);

/*
 * KRS (National Court Register) number: exactly 10 digits, leading zeros
 * significant, no check digit; all zeros is invalid.  out gets the digits.
 */
int valid_krs(const char *in, char out[11], struct buf *why);

/* Polish postal code "NN-NNN"; "NNNNN" is accepted too.  out gets "NN-NNN". */
int valid_postal(const char *in, char out[7], struct buf *why);

/*
 * TERYT territorial code: 2 digits (voivodeship: an even number 02..32),
 * 4 digits (powiat: a valid voivodeship + 01..99) or 7 digits (gmina: a
 * valid powiat + gmina 01..99 + a type digit 1..5, 8 or 9).  This checks the
 * shape only; whether the unit exists is a question for the reference data.
 * out gets the digits.
 */
int valid_teryt(const char *in, char out[8], struct buf *why);

/*
 * PKD activity code at any level of the classification:
 *   "J"        section (a letter A..V)   *level = 1
 *   "62"       division (01..99)         *level = 2
 *   "62.0"     group                     *level = 3
 *   "62.01"    class                     *level = 4
 *   "62.01.Z"  subclass (letter A..Z)    *level = 5
 * Also accepted: the compact forms "620", "6201", "6201Z", the forms
 * "62.01Z", "6201.Z", and lower-case letters ("j", "62.01.z").  out gets
 * the normalised form ("J", "62", "62.0", "62.01", "62.01.Z"); level may be
 * NULL.  Whether the code exists is a question for the reference data.
 */
int valid_pkd(const char *in, char out[10], int *level, struct buf *why);

/*
 * A pragmatic e-mail check: exactly one @, a local part of 1..64 bytes, a
 * domain of dot-separated non-empty labels (letters, digits, '-', or
 * non-ASCII for internationalised names) whose last label has at least two
 * characters, at most 254 bytes in total, valid UTF-8, and no spaces,
 * control characters or the characters <>()[]\,;:" that signal a display
 * name or a list of addresses.
 */
int valid_email(const char *in, struct buf *why);

/*
 * A web address: "http://" or "https://" (scheme in any case), then a host
 * name with at least one dot (or a bracketed IPv6 address), an optional
 * port 1..65535, then anything; at most 2000 bytes, valid UTF-8, and no
 * spaces, control characters, quotes, backquotes, backslashes or <>.
 * A user name or password in the address is rejected.
 */
int valid_url(const char *in, struct buf *why);

/*
 * A telephone number: digits, spaces, '-', '(' and ')', and '+' only as the
 * first character; 6 to 20 digits.
 */
int valid_phone(const char *in, struct buf *why);

/* A calendar date "YYYY-MM-DD" (year 0001..9999, Gregorian leap years). */
int valid_date(const char *in, struct buf *why);

/*
 * A year written in digits within [min, max]; *out gets the value (out may
 * be NULL).
 */
int valid_year(const char *in, int min, int max, int *out, struct buf *why);

/*
 * A point given as decimal degrees (e.g. "52.2297"; a decimal comma is
 * accepted too) that lies within Poland's bounding box: latitude 49.0..54.9
 * N, longitude 14.1..24.2 E.  Both values or neither must be given.
 * Returns 0 and sets *la, *lo when both are valid; 1 when both are empty
 * (the point is absent; *la and *lo are untouched and why gets nothing);
 * -1 otherwise.  la and lo may be NULL.
 */
int valid_coord(const char *lat, const char *lon, double *la, double *lo,
		struct buf *why);

/*
 * The portal's language for an Accept-Language header (RFC 9110 §12.5.4):
 * "en" or "pl", whichever has the higher weight (q, 1 when not given; a
 * language range matches by its primary tag, so "en-GB" is English; "*"
 * and other languages are ignored; of equal weights the first listed wins),
 * or NULL when neither is acceptable (absent, or only with q=0) or the
 * header is NULL.  Never fails: a malformed entry is skipped.
 */
const char *valid_accept_language(const char *header);

/*
 * Whether an If-None-Match header (RFC 9110 §13.1.2: "*" alone, or a list
 * of entity tags, each quoted, weak "W/" ones compared as strong — the weak
 * comparison a GET uses) names etag, given with its quotes ("\"1a-f0\"").
 * 0 for a NULL header or an etag it does not name.  Never fails: what is
 * not an entity tag matches nothing.
 */
int valid_etag_matches(const char *if_none_match, const char *etag);

#endif
