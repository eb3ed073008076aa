/*
 * fuzz_geo.c — libFuzzer target for the GeoJSON layer parser (src/geo.c).
 *
 * Any input must either be rejected with a message or give a layer that
 * every geometry function can walk: projection, SVG paths with and
 * without simplification, point location and label points.  Crashes,
 * leaks and undefined behaviour are found by the sanitizers.
 */
#include <stdint.h>

#include "geo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct geo_layer L;
	struct kerr e = KERR_INIT;
	struct geo_proj p;
	struct buf b = BUF_INIT;
	size_t i;

	if (geo_layer_parse(&L, (const char *)data, size, "fuzz", "code", "name", &e)) {
		if (e.kind != KERR_INPUT || !e.msg[0] || L.n != 0)
			BUG("parse failed without a proper message: %s", e.msg);
		return 0;
	}
	geo_proj_fit(&p, L.bbox, 800, 600, 10);
	for (i = 0; i < L.n; i++) {
		const struct geo_feature *f = &L.f[i];
		double lon, lat;

		if (geo_layer_find(&L, f->code) != f)
			BUG("feature %zu not found by its code", i);
		buf_reset(&b);
		geo_svg_path(&b, &p, f, 0);
		buf_reset(&b);
		geo_svg_path(&b, &p, f, 0.5);
		buf_reset(&b);
		geo_svg_path(&b, &p, f, 50);
		geo_feature_label_point(f, &lon, &lat);
		(void)geo_layer_locate(&L, lon, lat);
		(void)geo_feature_contains(f, f->bbox[0], f->bbox[1]);
		(void)geo_layer_locate(&L, (f->bbox[0] + f->bbox[2]) / 2,
				       (f->bbox[1] + f->bbox[3]) / 2);
	}
	buf_release(&b);
	geo_layer_release(&L);
	return 0;
}
