#!/usr/bin/env python3
"""Generate firm rows for the cluster-mapping benchmark.

Usage: gen_cells.py OUT.csv [ROWS]      (ROWS defaults to 5000000)

Writes region,industry,employment,establishments with one fictional firm per
row (establishments = 1): 16 regions (the voivodeship codes "02".."32"),
600 industry codes such as "C6853", employment 1..5000 from a heavy-tailed
distribution.  The mix of industries differs from region to region (and
some region x industry combinations have no firm at all), so the location
quotients spread widely; a tail of rare industries has a handful of small
firms per region, which gives ties at the star and percentile boundaries.
Regions follow each other in random order.  The output is deterministic
(fixed seed).  Standard library only.
"""
import os
import random
import sys

SEED = 20240611
REGIONS = ["%02d" % c for c in range(2, 33, 2)]
SECTIONS = "ABCDEFGHIJKLMNOPQRSTU"
CHUNK = 200_000


def industries():
    """600 distinct codes: a section letter and a four-digit number."""
    codes = []
    rnd = random.Random(SEED + 1)
    for j in range(600):
        sec = SECTIONS[j * len(SECTIONS) // 600]
        codes.append("%s%02d%02d" % (sec, 10 + j % 90, rnd.randrange(1, 99)))
    # make them distinct deterministically
    seen, out = set(), []
    for c in codes:
        while c in seen:
            c = c[:-2] + "%02d" % ((int(c[-2:]) + 1) % 100)
        seen.add(c)
        out.append(c)
    return out


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    path = sys.argv[1]
    rows = int(sys.argv[2]) if len(sys.argv) > 2 else 5_000_000
    rnd = random.Random(SEED)
    inds = industries()

    # region sizes: uneven, like voivodeships (largest about 8x the smallest)
    rsize = [rnd.lognormvariate(0, 0.6) for _ in REGIONS]
    # national industry weights: a few big industries, a long tail; the last
    # 60 are rare (a few firms per region)
    base = [rnd.paretovariate(1.0) for _ in inds]
    big = sum(base[:540])
    for j in range(540, 600):
        base[j] = big * rnd.uniform(3e-6, 2e-5)
    # regional tilt: lognormal multipliers, some strong specialisations, and
    # about 7% of combinations absent
    cum = []
    for _ in REGIONS:
        acc, c = 0.0, []
        for j in range(len(inds)):
            w = base[j] * rnd.lognormvariate(0, 0.8)
            if rnd.random() < 0.02:
                w *= 8.0
            if rnd.random() < 0.07:
                w = 0.0
            acc += w
            c.append(acc)
        cum.append(c)

    total = sum(rsize)
    share = [s / total for s in rsize]
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="ascii", newline="") as f:
        f.write("region,industry,employment,establishments\n")
        done = 0
        while done < rows:
            n = min(CHUNK, rows - done)
            # rows of this chunk per region (largest remainder)
            want = [n * s for s in share]
            cnt = [int(w) for w in want]
            rest = sorted(range(len(REGIONS)), key=lambda r: cnt[r] - want[r])
            for r in rest[: n - sum(cnt)]:
                cnt[r] += 1
            lines = []
            for r, reg in enumerate(REGIONS):
                picks = rnd.choices(inds, cum_weights=cum[r], k=cnt[r])
                pv = rnd.paretovariate
                lines.extend(
                    "%s,%s,%d,1\n" % (reg, ind, min(5000, int(pv(1.15)))) for ind in picks
                )
            rnd.shuffle(lines)
            f.write("".join(lines))
            done += n
    os.replace(tmp, path)


if __name__ == "__main__":
    main()
