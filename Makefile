# klaster — build, run and test.  See README.md.
#
#   make            build build/klaster
#   make run        install packages, build, prepare klaster.db with demo data, serve on
#                   127.0.0.1:8080 (LISTEN=HOST:PORT for another)
#   make test       install packages, build, run every test (ends with "N passed, N failed")
#   make asan / ubsan / sanitize    the same suite under AddressSanitizer / UBSan / both
#   make fuzz       build the libFuzzer targets and run each for FUZZ_SECONDS
#   make bench      the load benchmark against nginx (see docs/BENCHMARKS.md)
#   make bench-portal    the portal under mixed reads and writes (wrk + Lua)
#   make bench-mapping   cluster mapping on 5 million rows against pandas
#   make bench-pipes     statistics from a 196 MB pipe: copied, streamed, from the file
#   make bench-spatial   DBSCAN on 200,000 points against scikit-learn, and on 5 million

CC      ?= cc
BUILD   ?= build
PKGS     = libmicrohttpd sqlite3 libpq jansson libsodium xlsxwriter cairo fontconfig igraph libcurl libcmark pangocairo
OPT     ?= -O2 -g
WARN     = -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wno-unused-parameter \
           -Wformat=2 -Wno-format-nonliteral -Wvla
CFLAGS  += -std=c11 -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L $(OPT) $(WARN) \
           -ffunction-sections -fdata-sections \
           -include src/prelude.h -Isrc $(SAN) \
           $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LDLIBS  += $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lm -lpthread
LDFLAGS += $(SAN)

LIB_SRC  = $(filter-out src/main.c src/main_map.c src/tablew_csvonly.c,$(wildcard src/*.c))
LIB_OBJ  = $(LIB_SRC:src/%.c=$(BUILD)/%.o) $(BUILD)/migrations_gen.o $(BUILD)/static_gen.o
STATIC   = $(sort $(wildcard static/*))
MIGRATIONS = $(sort $(wildcard sql/migrations/*.sql))
UNIT_SRC = $(wildcard tests/unit/test_*.c)
UNIT_BIN = $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
DB      ?= klaster.db
LISTEN  ?= 127.0.0.1:8080
# the demo accounts of make run (README); a database for real use starts without them
DEMO_PASSWORD ?= demo-klaster-2026

.PHONY: all deps run test unit asan ubsan sanitize fuzz bench bench-portal bench-mapping bench-rowloop bench-pipes bench-halves bench-datasets bench-spatial clean demo-db
all: $(BUILD)/klaster $(BUILD)/klaster-map

$(BUILD)/%.o: src/%.c src/*.h Makefile | $(BUILD)
	$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/tablew_xlsx.o $(BUILD)/tests/test_tablew: CFLAGS += -DKLASTER_XLSX

$(BUILD)/migrations_gen.c: $(MIGRATIONS) scripts/embed-sql.sh | $(BUILD)
	sh scripts/embed-sql.sh $@ $(MIGRATIONS)

$(BUILD)/migrations_gen.o: $(BUILD)/migrations_gen.c src/migrations.h
	$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/static_gen.c: $(STATIC) scripts/embed-files.sh | $(BUILD)
	sh scripts/embed-files.sh $@ $(STATIC)

$(BUILD)/static_gen.o: $(BUILD)/static_gen.c src/static.h
	$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD):
	mkdir -p $(BUILD)/tests

$(BUILD)/libklaster.a: $(LIB_OBJ)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/klaster: $(BUILD)/main.o $(BUILD)/libklaster.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# klaster-map: the map commands on files, linked only to what they use (unused
# functions are dropped section by section, then only the libraries still needed
# are kept; tablew_csvonly.o comes before the library's XLSX writer), so that it
# starts with the C library alone instead of loading the portal's libraries
MAP_LDLIBS = -lm -lpthread
$(BUILD)/klaster-map: $(BUILD)/main_map.o $(BUILD)/tablew_csvonly.o $(BUILD)/libklaster.a
	$(CC) $(LDFLAGS) -Wl,--gc-sections -Wl,--as-needed -o $@ $^ $(MAP_LDLIBS)

$(BUILD)/tests/%: tests/unit/%.c tests/unit/t.h tests/unit/tcube.h $(BUILD)/libklaster.a
	$(CC) $(CFLAGS) -o $@ $< $(BUILD)/libklaster.a $(LDLIBS)

unit: $(UNIT_BIN)

deps:
	@sh scripts/install-deps.sh

demo-db: all
	./$(BUILD)/klaster --db sqlite:$(DB) db migrate
	./$(BUILD)/klaster --db sqlite:$(DB) import reference data
	./$(BUILD)/klaster --db sqlite:$(DB) import organisations data/demo/organisations.csv
	./$(BUILD)/klaster --db sqlite:$(DB) import clusters data/demo/clusters.csv
	./$(BUILD)/klaster --db sqlite:$(DB) import members data/demo/members.csv
	./$(BUILD)/klaster --db sqlite:$(DB) import news data/demo/news/*.md
	./$(BUILD)/klaster --db sqlite:$(DB) import offers data/demo/offers.csv
	./$(BUILD)/klaster --db sqlite:$(DB) import services data/demo/services.csv
	KLASTER_PASSWORD='$(DEMO_PASSWORD)' ./$(BUILD)/klaster --db sqlite:$(DB) user add admin@demo.klaster.example \
	  --role admin --name "Administrator (demo)" --exists-ok
	KLASTER_PASSWORD='$(DEMO_PASSWORD)' ./$(BUILD)/klaster --db sqlite:$(DB) user add koordynator@demo.klaster.example \
	  --role coordinator --cluster 1 --name "Koordynator KLPS (demo)" --exists-ok
	KLASTER_PASSWORD='$(DEMO_PASSWORD)' ./$(BUILD)/klaster --db sqlite:$(DB) user add redaktor@demo.klaster.example \
	  --role editor --org 2 --name "Redaktor Precyzmet (demo)" --exists-ok
	./$(BUILD)/klaster --db sqlite:$(DB) import stats data/stats/gus_regon_2025q3_employment_estimate.csv \
	  --dataset gus-2025q3 --industry-names data/reference/pkd2007_names.csv --title "GUS REGON 2025 Q3 — szacunek zatrudnienia / employment estimate" \
	  --source "Źródło / source: GUS, REGON, 30.09.2025; zatrudnienie oszacowane z liczby podmiotów w klasach wielkości (0–9: 2, 10–49: 22, 50–249: 110, 250+: 700 osób) / employment estimated from the entities by size class (0–9: 2, 10–49: 22, 50–249: 110, 250+: 700 people)" \
	  --licence "Otwarte dane GUS: ponowne wykorzystanie z podaniem źródła („Źródło: GUS”) / Statistics Poland (GUS) open data: reuse with attribution"
	./$(BUILD)/klaster --db sqlite:$(DB) import stats data/stats/gus_regon_2025_10_sole_proprietors_powiat_x_section.csv \
	  --dataset gus-2025-10-powiaty --industry-names data/reference/pkd2007_names.csv \
	  --title "GUS REGON 10.2025 — osoby fizyczne prowadzące działalność gospodarczą, powiaty / sole proprietors by powiat" \
	  --source "Źródło / source: GUS, REGON, październik 2025, tablica 4: osoby fizyczne prowadzące działalność gospodarczą (bez prowadzących wyłącznie indywidualne gospodarstwa rolne) wg sekcji PKD 2007; zatrudnienie = liczba tych osób / Statistics Poland, REGON, October 2025, table 4: sole proprietors (without those running only a farm) by PKD 2007 section; employment = the number of these persons" \
	  --licence "Otwarte dane GUS: ponowne wykorzystanie z podaniem źródła („Źródło: GUS”) / Statistics Poland (GUS) open data: reuse with attribution"
	./$(BUILD)/klaster --db sqlite:$(DB) import stats data/stats/eurostat_sbs_r_nuts06_r2_persons_employed_2015.csv \
	  --dataset eurostat-sbs-2015 --region-kind nuts2013 --skip-invalid --region-prefix PL \
	  --region-length 4 --industry-length 3 --industry-names data/reference/nace_r2_names.csv \
	  --title "Eurostat SBS 2015 — pracujący / persons employed" \
	  --source "Źródło / source: Eurostat, sbs_r_nuts06_r2" \
	  --licence "Polityka ponownego wykorzystania Eurostatu: z podaniem źródła („Source: Eurostat”) / Eurostat reuse policy: reuse with acknowledgement of the source"
	./$(BUILD)/klaster --db sqlite:$(DB) import stats data/stats/eurostat_sbs_r_nuts06_r2_persons_employed_2015.csv \
	  --dataset eurostat-sbs-2015-eu --region-kind nuts2013 --skip-invalid --region-length 4 --industry-length 3 \
	  --industry-names data/reference/nace_r2_names.csv \
	  --title "Eurostat SBS 2015 — Europa, NUTS-2 / Europe, NUTS-2" --source "Źródło / source: Eurostat, sbs_r_nuts06_r2" \
	  --licence "Polityka ponownego wykorzystania Eurostatu: z podaniem źródła („Source: Eurostat”) / Eurostat reuse policy: reuse with acknowledgement of the source"
	./$(BUILD)/klaster --db sqlite:$(DB) import firms data/firms/eutl_installations_PL_slim.csv --dataset eu-ets-pl \
	  --value verified_emissions_2019_tco2 --value verified_emissions_2020_tco2 --skip-invalid \
	  --industry-name-column ets_activity --industry-names data/reference/eu_ets_activities.csv \
	  --title "EU ETS — instalacje w Polsce / installations in Poland" \
	  --source "Źródło / source: EU Transaction Log via cedricr/eutl" \
	  --licence "CC BY 4.0 (dane / data: cedricr/eutl, https://creativecommons.org/licenses/by/4.0/)"

run: deps
	$(MAKE) demo-db
	./$(BUILD)/klaster --db sqlite:$(DB) serve --listen $(LISTEN)

test: deps
	$(MAKE) all unit
	BUILD=$(BUILD) sh tests/run.sh

asan:
	$(MAKE) test BUILD=build-asan OPT="-O1 -g -fno-omit-frame-pointer" \
	  SAN="-fsanitize=address -fno-sanitize-recover=all"
ubsan:
	$(MAKE) test BUILD=build-ubsan OPT="-O1 -g" \
	  SAN="-fsanitize=undefined -fno-sanitize-recover=all"
sanitize:
	$(MAKE) test BUILD=build-san OPT="-O1 -g -fno-omit-frame-pointer" \
	  SAN="-fsanitize=address,undefined -fno-sanitize-recover=all"

FUZZ_SECONDS ?= 60
fuzz: deps
	sh tests/fuzz/run.sh $(FUZZ_SECONDS)

bench: deps
	$(MAKE) all
	sh bench/run.sh

bench-portal: deps
	$(MAKE) all
	sh bench/portal.sh

bench-mapping: deps
	sh scripts/install-deps.sh --bench
	$(MAKE) all
	sh bench/mapping.sh

# the row loop's parts, alone, on bench-mapping's file (docs/BENCHMARKS.md)
bench-rowloop:
	@test -f bench/out/firms-5000000.csv || $(MAKE) bench-mapping
	@mkdir -p $(BUILD)
	$(CC) -O2 -std=c11 -D_DEFAULT_SOURCE $(WARN) -pthread -o $(BUILD)/rowloop bench/rowloop.c
	$(BUILD)/rowloop bench/out/firms-5000000.csv

# statistics from a pipe longer than 128 MiB, three ways (docs/BENCHMARKS.md)
bench-pipes: all
	@test -f bench/out/firms-5000000.csv || $(MAKE) bench-mapping
	python3 bench/pipes.py $(BUILD)/klaster-map bench/out/firms-5000000.csv $(BENCH_ROUNDS)

# a stored dataset of 2.28 million cells in the portal, kept and read each time (docs/BENCHMARKS.md)
bench-datasets: all
	python3 bench/datasets.py $(BUILD)/klaster $(BENCH_ROUNDS)

bench-halves: all
	@test -f bench/out/firms-5000000.csv || $(MAKE) bench-mapping
	python3 bench/halves.py bench/out/firms-5000000.csv $(BENCH_ROUNDS)

bench-spatial: deps
	$(MAKE) all
	/usr/bin/python3 bench/spatial.py

clean:
	rm -rf build build-asan build-ubsan build-san build-fuzz
