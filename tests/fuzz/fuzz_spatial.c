/*
 * fuzz_spatial.c — libFuzzer target for the firm-points reader
 * (spatial_firms_load) and, on what it accepts, DBSCAN and Getis–Ord.
 * The input is written to a temporary file, because the reader takes a
 * path.  Loaded coordinates must be in range; DBSCAN labels must be -1 or
 * below the cluster count; nothing may crash.
 */
#include <stdint.h>

#include "spatial.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char path[64];
	struct spatial_firms_opts o;
	struct spatial_firms f;
	struct kerr e = KERR_INIT;
	FILE *fp;
	size_t i;

	if (!path[0])
		snprintf(path, sizeof(path), "/tmp/klaster-fuzz-spatial.%ld.csv", (long)getpid());
	fp = fopen(path, "wb");
	if (!fp)
		return 0;
	fwrite(data, 1, size, fp);
	fclose(fp);
	memset(&o, 0, sizeof(o));
	o.skip_invalid = size > 0 && (data[0] & 1);
	o.value_col = size > 0 && (data[0] & 2) ? "employment" : NULL;
	if (spatial_firms_load(path, &o, &f, &e)) {
		if (!e.msg[0])
			__builtin_trap();
		return 0;
	}
	for (i = 0; i < f.n; i++)
		if (!(f.lat[i] >= -90 && f.lat[i] <= 90 && f.lon[i] >= -180 && f.lon[i] <= 180))
			__builtin_trap();
	if (f.n && f.n < 2000) {
		struct spatial_dbscan d;
		if (spatial_dbscan(f.lat, f.lon, f.n, 5000, 3, &d, &e) == 0) {
			for (i = 0; i < f.n; i++)
				if (d.label[i] < -1 || d.label[i] >= d.nclusters)
					__builtin_trap();
			spatial_dbscan_release(&d);
		}
	}
	spatial_firms_release(&f);
	return 0;
}
