/*
 * prelude.h — included before every klaster source file by the Makefile
 * (-include).  It pulls in the common system headers once and then bans
 * the unbounded string functions: any later use is a compile error.
 * Use buf.h (buf_printf, buf_puts) or snprintf instead.
 */
#ifndef KLASTER_PRELUDE_H
#define KLASTER_PRELUDE_H

/* The C library's GNU interfaces too (fopencookie: stats.c reads a long pipe on from a copy that
 * ran out of room); declared before any system header is read. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>

/* libxlsxwriter's headers define macros with strncpy; a file that uses
 * them is compiled with -DKLASTER_XLSX so they are read before the ban
 * (their macros stay usable, new uses in our code do not). */
#ifdef KLASTER_XLSX
#include <xlsxwriter.h>
#endif

#pragma GCC poison strcpy strcat sprintf vsprintf gets strtok strncpy strncat wcscpy wcscat stpcpy

#endif
