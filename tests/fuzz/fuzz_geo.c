/*
 * fuzz_geo.c — libFuzzer target for the GeoJSON layer parser (src/geo.c).
 *
 * Any input must either be rejected with a message or give a layer that
 * every geometry function can walk: projection, SVG paths with and
 * without simplification, point location and label points, and write back
 * as GeoJSON that parses again to the same layer.  Crashes,
 * leaks and undefined behaviour are found by the sanitizers.
 */
#include <stdint.h>
#include <string.h>

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
	/* every feature written as GeoJSON, read back without codes: as many polygons and rings */
	buf_reset(&b);
	buf_puts(&b, "{\"type\":\"FeatureCollection\",\"features\":[");
	for (i = 0; i < L.n; i++) {
		long k = (long)i;
		buf_puts(&b, i ? ",{\"type\":\"Feature\",\"properties\":{},\"geometry\":" :
			 "{\"type\":\"Feature\",\"properties\":{},\"geometry\":");
		geo_features_geojson(&b, &L, &k, 1);
		buf_putc(&b, '}');
	}
	buf_puts(&b, "]}");
	{
		struct geo_layer B;
		if (geo_layer_parse(&B, b.ptr, b.len, "back", NULL, NULL, &e))
			BUG("the layer written as GeoJSON does not parse: %s", e.msg);
		if (B.n != L.n)
			BUG("%zu features read back of %zu", B.n, L.n);
		for (i = 0; i < L.n; i++) {
			size_t q;
			if (B.f[i].npolys != L.f[i].npolys)
				BUG("feature %zu: %zu polygons read back of %zu", i, B.f[i].npolys, L.f[i].npolys);
			for (q = 0; q < L.f[i].npolys; q++)
				if (B.f[i].polys[q].nrings != L.f[i].polys[q].nrings)
					BUG("feature %zu: rings differ", i);
		}
		geo_layer_release(&B);
	}
	buf_release(&b);
	geo_layer_release(&L);
	return 0;
}
