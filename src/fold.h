/*
 * fold.h — text folding for search and for Polish alphabetical sorting.
 *
 * Both forms are computed from UTF-8 text when a record is written and
 * stored next to it, so that search is a plain substring or token match
 * and sorting is a plain byte comparison (SQL COLLATE "C" / BINARY) on any
 * database, with no collation support needed from it.
 *
 * Characters are classified as
 *   - letters and digits: ASCII, the Latin-1 Supplement and Latin
 *     Extended-A letters (À..ž, including all Polish letters), Ș ș Ț ț and ẞ;
 *     full-width ASCII forms count as their ASCII letters;
 *   - letters of other scripts (Greek, Cyrillic, CJK, ...);
 *   - invisible characters (combining accents, zero-width spaces and
 *     joiners, soft hyphen, variation selectors, byte-order mark), which are
 *     skipped, so decomposed text (e + U+0301) folds like precomposed é;
 *   - everything else (spaces, punctuation, symbols, emoji, control
 *     characters, invalid UTF-8 bytes), which separates words.
 *
 * All functions append to a struct buf (sticky errors, see buf.h) and
 * accept NULL as the empty string.
 */
#ifndef KLASTER_FOLD_H
#define KLASTER_FOLD_H

#include <stddef.h>

#include "buf.h"

/*
 * Appends the search form of s: ASCII only, lower case, diacritics removed
 * (ą→a ł→l ż→z, ä→a ß→ss é→e č→c ø→o æ→ae œ→oe ...), words separated by
 * single spaces, no leading or trailing space.  Letters of other scripts
 * separate words like punctuation does.  The result is never longer than s
 * (room for strlen(s) bytes is reserved in out, so a cap on out must allow
 * that), and folding it again changes nothing.
 * Example: "Zakłady Mięsne „Łuków” S.A." → "zaklady miesne lukow s a".
 */
void fold_search(struct buf *out, const char *s);

/*
 * Appends a sort key for s whose plain byte order (memcmp, strcmp) is Polish
 * alphabetical order:
 *   - level 1, word by word, case-insensitively:
 *       word boundary < digits < a ą b c ć d e ę f g h i j k l ł m n ń
 *       o ó p q r s ś t u v w x y z ź ż < letters of other scripts,
 *     where other accented Latin letters count as their base letter
 *     (ä = a, č = c, ß = ss) and runs of spaces and punctuation count as
 *     one word boundary (ignored at either end), so "Nowa Sól" < "Nowak";
 *     a run of digits compares as a whole number, so "Klaster 2" <
 *     "Klaster 10" (leading zeros are ignored at this level);
 *   - level 2, for strings equal at level 1, letter by letter: lower case
 *     before upper case, plain before accented ("ala" < "Ala" < "ąla");
 *   - level 3: the original bytes, so the key is deterministic and distinct
 *     strings have distinct keys.
 * The key consists of printable ASCII only (0x21..0x7E, no space), so it
 * can be stored in a TEXT column; it is at most 5 * strlen(s) + 2 bytes.
 */
void fold_sortkey(struct buf *out, const char *s);

/*
 * Appends s in lower case, letter for letter, accents kept: the Latin
 * letters of ASCII, Latin-1 Supplement and Latin Extended-A (all Polish
 * letters: "ŁKŻ" → "łkż"); other characters and invalid bytes as they are.
 * Two codes that differ only in case fold to the same bytes (cluster
 * acronyms, which SQLite's lower() would fold in ASCII only).
 */
void fold_lower(struct buf *out, const char *s);

/*
 * Whether s begins with prefix when both are in fold_lower's lower case,
 * character by character ("ŁA-1" begins with "ła", "Łódź" does not begin
 * with "lo"); invalid bytes compare as bytes.  The empty prefix begins
 * every s.  Nothing is allocated.
 */
int fold_lower_prefix(const char *s, const char *prefix);

/* The characters (code points) of UTF-8 text s, not its bytes: what a
 * form's maxlength and a person count.  Continuation bytes are not counted;
 * s is not checked. */
size_t utf8_chars(const char *s);

/*
 * Folds query with fold_search into *storage (which is reset first; its
 * previous content is lost) and splits the result at spaces.  Stores
 * pointers to the first max tokens (NUL-terminated, non-empty, in query
 * order) in tok and returns their count; further tokens are dropped.  The
 * pointers stay valid until storage is changed; the caller frees storage
 * with buf_release.  Returns 0 when storage has a sticky error.
 */
size_t fold_tokens(const char *query, struct buf *storage, const char **tok, size_t max);

#endif
