/* outfile.c — a result file written whole or not at all (see outfile.h). */
#include "outfile.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"

int outfile_begin(struct outfile *o, const char *path, struct kerr *e)
{
	struct stat sb;
	struct buf tmp = BUF_INIT;
	memset(o, 0, sizeof(*o));
	if (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode)) {
		if (S_ISDIR(sb.st_mode))
			return kerr_set(e, KERR_IO, "cannot write %s: it is a directory", path);
		o->target = xstrdup(path);
		o->name = xstrdup(path);
		o->direct = 1;
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
	buf_printf(&tmp, "%s.tmp%ld", o->target, (long)getpid());
	o->name = buf_detach(&tmp, NULL);
	return 0;
}

int outfile_commit(struct outfile *o, struct kerr *e)
{
	int rc = 0;
	if (!o->direct && rename(o->name, o->target) != 0) {
		rc = kerr_set(e, KERR_IO, "cannot rename %s to %s: %s", o->name, o->target, strerror(errno));
		remove(o->name);
	}
	free(o->target);
	free(o->name);
	memset(o, 0, sizeof(*o));
	return rc;
}

void outfile_abort(struct outfile *o)
{
	if (o->name && !o->direct)
		remove(o->name);
	free(o->target);
	free(o->name);
	memset(o, 0, sizeof(*o));
}
