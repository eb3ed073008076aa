/* outfile.c — a result file written whole or not at all (see outfile.h). */
#include "outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"

/*
 * The temporary files being written, removed when the process is stopped
 * by a signal (Ctrl-C, kill) so that an interrupted run leaves nothing:
 * a few slots of fixed size, read by the handler (unlink is safe there).
 */
#define LIVE_MAX 4
static char live[LIVE_MAX][PATH_MAX];
static volatile sig_atomic_t live_used[LIVE_MAX];

static void on_signal(int sig)
{
	int k;
	for (k = 0; k < LIVE_MAX; k++)
		if (live_used[k])
			unlink(live[k]);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void live_add(const char *name)
{
	static int installed;
	int k;
	if (!installed) {
		/* SIGPIPE: notices written to a pipe that was closed (`2>&1 | head -1`) */
		static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGPIPE };
		for (k = 0; k < (int)(sizeof(sigs) / sizeof(sigs[0])); k++) {
			struct sigaction sa, old;
			memset(&sa, 0, sizeof(sa));
			sa.sa_handler = on_signal;
			sigemptyset(&sa.sa_mask);
			/* leave a signal the caller ignores (nohup) or handles itself alone */
			if (sigaction(sigs[k], NULL, &old) == 0 && old.sa_handler == SIG_DFL)
				sigaction(sigs[k], &sa, NULL);
		}
		installed = 1;
	}
	if (strlen(name) >= PATH_MAX)
		return;
	for (k = 0; k < LIVE_MAX; k++)
		if (!live_used[k]) {
			memcpy(live[k], name, strlen(name) + 1);
			live_used[k] = 1;
			return;
		}
}

static void live_remove(const char *name)
{
	int k;
	for (k = 0; name && k < LIVE_MAX; k++)
		if (live_used[k] && strcmp(live[k], name) == 0) {
			live_used[k] = 0;
			return;
		}
}

/*
 * The guard (outfile.h): the regular files the run reads, and the results
 * it has begun; a fixed table, as a command names a few files.  Past it,
 * files are no longer noted (the guard is a help, not a promise).
 */
#define GUARD_MAX 64
static struct guarded {
	dev_t dev;
	ino_t ino;
	int known;      /* dev and ino are set (an input, or a result once written) */
	int result;     /* 1: a result of this run, else an input */
	char *name;     /* as the user named it; for a result, the resolved target */
} guard[GUARD_MAX];
static size_t nguard;
static int guard_on;

void outfile_guard(void)
{
	guard_on = 1;
}

void outfile_input(int fd, const char *name)
{
	struct stat sb;
	size_t k;
	if (!guard_on || fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode))
		return;
	for (k = 0; k < nguard; k++)
		if (guard[k].known && !guard[k].result && guard[k].dev == sb.st_dev && guard[k].ino == sb.st_ino)
			return;
	if (nguard == GUARD_MAX)
		return;
	guard[nguard].dev = sb.st_dev;
	guard[nguard].ino = sb.st_ino;
	guard[nguard].known = 1;
	guard[nguard].result = 0;
	guard[nguard].name = xstrdup(name ? name : "an input");
	nguard++;
}

/* The guard's refusal of result path: input, the input it would replace
 * (as the user named it), or NULL when it is another result's file.
 * Returns -1 (KERR_USAGE). */
static int clash(struct kerr *e, const char *path, const char *input)
{
	if (!input)
		return kerr_set(e, KERR_USAGE, "%s is named for two results of this command: give each its own file",
				path);
	if (strcmp(input, path) == 0)
		return kerr_set(e, KERR_USAGE, "%s is an input of this command: write the result to another file "
				"(it would replace what is read)", path);
	return kerr_set(e, KERR_USAGE, "%s is the same file as %s (another name of it), an input of this command: "
			"write the result to another file", path, input);
}

/* -1 (KERR_USAGE) when target (path as the user named it) is a file the
 * run reads or an earlier result's; skip: the guard entry of this very
 * result (SIZE_MAX: none). */
static int guard_check(const char *path, const char *target, size_t skip, struct kerr *e)
{
	struct stat sb;
	int have = stat(target, &sb) == 0;
	size_t k;
	for (k = 0; guard_on && k < nguard; k++) {
		const struct guarded *g = &guard[k];
		int same = k != skip && ((have && g->known && g->dev == sb.st_dev && g->ino == sb.st_ino) ||
					 (g->result && strcmp(g->name, target) == 0));
		if (same)
			return clash(e, path, g->result ? NULL : g->name);
	}
	return 0;
}

/* The absolute name of a result not written yet: its directory resolved,
 * its last part as given (NULL when the directory cannot be resolved). */
static char *guard_name(const char *target)
{
	const char *slash = strrchr(target, '/');
	struct buf b = BUF_INIT;
	char *dir, *real;
	if (!slash)
		dir = xstrdup(".");
	else if (slash == target)
		dir = xstrdup("/");
	else {
		dir = xstrdup(target);
		dir[slash - target] = '\0';
	}
	real = realpath(dir, NULL);
	free(dir);
	if (!real)
		return NULL;
	buf_printf(&b, "%s/%s", strcmp(real, "/") == 0 ? "" : real, slash ? slash + 1 : target);
	free(real);
	return buf_detach(&b, NULL);
}

/* 1 when a and b name one file: the same inode, or (one not there yet) the same resolved name. */
static int same_file(const char *a, const char *b)
{
	struct stat sa, sb;
	char *na, *nb;
	int same;
	if (stat(a, &sa) == 0 && stat(b, &sb) == 0)
		/* a device (/dev/null, a terminal) may take two results, as the guard lets it */
		return S_ISREG(sa.st_mode) && S_ISREG(sb.st_mode) && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
	na = guard_name(a);
	nb = guard_name(b);
	same = na && nb && strcmp(na, nb) == 0;
	free(na);
	free(nb);
	return same;
}

/* -1 (KERR_IO, in outfile_begin's words) when outfile_begin would refuse path
 * for good: a directory, a file that may not be written, or a name in a
 * directory that is not there or may not be written (where the temporary
 * file goes).  A target written in place (a device, /dev/, /proc/) is left
 * to outfile_begin. */
static int writable(const char *path, struct kerr *e)
{
	struct stat sb;
	struct buf dir = BUF_INIT;
	char *real = NULL;
	const char *target = path, *slash;
	int rc = 0, there = stat(path, &sb) == 0;
	if (there && S_ISDIR(sb.st_mode))
		return kerr_set(e, KERR_IO, "cannot write %s: it is a directory", path);
	if ((there && !S_ISREG(sb.st_mode)) || strncmp(path, "/dev/", 5) == 0 || strncmp(path, "/proc/", 6) == 0)
		return 0;
	if (lstat(path, &sb) == 0 && S_ISLNK(sb.st_mode) && (real = realpath(path, NULL)))
		target = real;   /* the file replaced is the link's, beside it the temporary file */
	slash = strrchr(target, '/');
	buf_add(&dir, target, slash ? (size_t)(slash - target) : 0);
	if (!slash)
		buf_puts(&dir, ".");
	else if (slash == target)
		buf_puts(&dir, "/");
	if (access(target, F_OK) == 0 && access(target, W_OK) != 0)
		rc = kerr_set(e, KERR_IO, "cannot write %s: %s", path, strerror(errno));
	else if (access(dir.ptr, W_OK | X_OK) != 0)
		rc = kerr_set(e, KERR_IO, "cannot write %s: %s (its directory %s)", path, strerror(errno), dir.ptr);
	buf_release(&dir);
	free(real);
	return rc;
}

int outfile_clash(const char *out, const char *other, const char *const *inputs, size_t n, struct kerr *e)
{
	size_t k;
	if (out && !*out)
		return kerr_set(e, KERR_USAGE, "the name of a result file is empty");
	if (!out || outfile_is_stdout(out))
		return 0;
	for (k = 0; k < n; k++)
		if (inputs[k] && strcmp(inputs[k], "-") != 0 && same_file(out, inputs[k]))
			return clash(e, out, inputs[k]);
	if (other && *other && !outfile_is_stdout(other) && same_file(out, other))
		return clash(e, out, NULL);
	return writable(out, e);
}

int outfile_is_stdout(const char *path)
{
	static const char *const names[] = { "-", "/dev/stdout", "/dev/fd/1", "/proc/self/fd/1" };
	size_t k;
	if (!path)
		return 1;
	for (k = 0; k < sizeof(names) / sizeof(names[0]); k++)
		if (strcmp(path, names[k]) == 0)
			return 1;
	return 0;
}

const char *outfile_ending(const char *path)
{
	const char *base, *dot;
	if (outfile_is_stdout(path))
		return "";
	base = strrchr(path, '/');
	base = base ? base + 1 : path;
	dot = strrchr(base, '.');
	return dot && dot > base ? dot + 1 : "";
}

int outfile_in_place(const char *path)
{
	struct stat sb;
	return (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode) && !S_ISDIR(sb.st_mode)) ||
	       strncmp(path, "/dev/", 5) == 0 || strncmp(path, "/proc/", 6) == 0;
}

int outfile_begin(struct outfile *o, const char *path, struct kerr *e)
{
	struct stat sb;
	struct buf tmp = BUF_INIT;
	memset(o, 0, sizeof(*o));
	if (!*path)
		return kerr_set(e, KERR_USAGE, "the name of a result file is empty");
	if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
		return kerr_set(e, KERR_IO, "cannot write %s: it is a directory", path);
	if (outfile_in_place(path)) {
		/* written in place: /proc/self/cwd/in.csv or /dev/fd/3 may be an input by another name */
		if (guard_on && stat(path, &sb) == 0 && S_ISREG(sb.st_mode) && guard_check(path, path, SIZE_MAX, e))
			return -1;
		o->target = xstrdup(path);
		o->name = xstrdup(path);
		o->direct = 1;
		o->fd = -1;
		return 0;
	}
	if (lstat(path, &sb) == 0 && S_ISLNK(sb.st_mode)) {
		/* a link to a regular file: replace the file, keep the link */
		char *real = realpath(path, NULL);
		if (!real)
			return kerr_set(e, KERR_IO, "cannot follow the link %s: %s", path, strerror(errno));
		o->target = xstrdup(real);
		free(real);
	} else {
		o->target = xstrdup(path);
	}
	if (guard_on) {
		char *gname = guard_name(o->target);
		if (gname && guard_check(path, gname, SIZE_MAX, e)) {
			free(gname);
			outfile_abort(o);
			return -1;
		}
		if (gname && nguard < GUARD_MAX) {
			memset(&guard[nguard], 0, sizeof(guard[nguard]));
			guard[nguard].result = 1;
			guard[nguard].name = gname;
			o->guard = nguard++;
			gname = NULL;
		} else {
			o->guard = SIZE_MAX;
		}
		free(gname);
	}
	if (stat(o->target, &sb) == 0) {
		if (access(o->target, W_OK) != 0) {
			kerr_set(e, KERR_IO, "cannot write %s: %s", path, strerror(errno));
			outfile_abort(o);
			return -1;
		}
		o->keep_mode = 1;
		o->mode = sb.st_mode & 07777;
	}
	buf_printf(&tmp, "%s.tmp%ld", o->target, (long)getpid());
	o->name = buf_detach(&tmp, NULL);
	/* noted for the signal handler before it exists: a signal between its creation and its
	 * noting would leave it behind */
	live_add(o->name);
	/* the temporary name is predictable: it is created here, never opened
	 * through a link or over a file someone else put there */
	o->fd = open(o->name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
	if (o->fd < 0 && errno == EEXIST && unlink(o->name) == 0)
		/* left by an earlier run with this process id, or a link (removed, not followed) */
		o->fd = open(o->name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
	if (o->fd < 0) {
		kerr_set(e, KERR_IO, "cannot write %s: %s (the temporary file %s beside it)", path, strerror(errno),
			 o->name);
		live_remove(o->name);
		free(o->target);
		free(o->name);
		memset(o, 0, sizeof(*o));
		return -1;
	}
	return 0;
}

static void close_fd(struct outfile *o)
{
	if (o->name && !o->direct && o->fd >= 0)
		close(o->fd);
	o->fd = -1;
}

FILE *outfile_fopen(struct outfile *o, struct kerr *e)
{
	FILE *f;
	if (!o->direct && o->fd >= 0) {
		f = fdopen(o->fd, "wb");
		if (f)
			o->fd = -1;
	} else {
		f = fopen(o->name, o->direct ? "wb" : "wbx");
	}
	if (!f && o->direct)
		kerr_set(e, KERR_IO, "cannot write %s: %s", o->target, strerror(errno));
	else if (!f)
		kerr_set(e, KERR_IO, "cannot write %s: %s (the temporary file %s beside it)", o->target,
			 strerror(errno), o->name);
	return f;
}

int outfile_commit(struct outfile *o, struct kerr *e)
{
	int rc = 0;
	close_fd(o);
	if (!o->direct && guard_on && o->guard != SIZE_MAX && guard_check(o->target, o->target, o->guard, e)) {
		/* an input noted since outfile_begin */
		outfile_abort(o);
		return -1;
	}
	if (!o->direct) {
		live_remove(o->name);
		if (o->keep_mode)
			(void)chmod(o->name, o->mode);
		if (rename(o->name, o->target) != 0) {
			rc = kerr_set(e, KERR_IO, "cannot rename %s to %s: %s", o->name, o->target, strerror(errno));
			remove(o->name);
		} else if (guard_on && o->guard != SIZE_MAX) {
			struct stat sb;
			if (stat(o->target, &sb) == 0) {
				/* known by its inode too, should another name reach it */
				guard[o->guard].dev = sb.st_dev;
				guard[o->guard].ino = sb.st_ino;
				guard[o->guard].known = 1;
			}
		}
	}
	free(o->target);
	free(o->name);
	memset(o, 0, sizeof(*o));
	return rc;
}

void outfile_abort(struct outfile *o)
{
	close_fd(o);
	if (o->name && !o->direct) {
		live_remove(o->name);
		remove(o->name);
	}
	free(o->target);
	free(o->name);
	memset(o, 0, sizeof(*o));
}
