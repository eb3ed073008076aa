#!/usr/bin/env python3
"""The cluster-mapping benchmark's reference: klaster's `map indicators --sum`
computed with pandas and numpy.

Usage: mapping_pandas.py FIRMS.csv OUT.csv

Reads region,industry,employment,establishments rows, sums them into
region x industry cells and computes the indicators of docs/MAPPING.md (one
period, all industries in the base, the reference economy = the sum of the
regions):

  lq                  (e_ri / E_r) / (E_i / E)
  share_of_region     e_ri / E_r
  share_of_industry   e_ri / E_i
  size_star           per industry over the regions with data (n): k =
                      ceil(n * 10 / 100) in integers, star when e_ri >= the
                      k-th largest value (ties included), never for 0
  specialisation_star lq >= 2
  focus_star          the size rule on share_of_region
  strong, strong10    lq >= P75(lq) (P90 for strong10), e_ri > P25(e),
                      est > P25(est), lq >= 1; percentiles type 7
                      (numpy "linear") per industry over the regions with
                      employment > 0
  every comparison    with a value within 1e-12 of the threshold, relative
                      to it, counted as equal to it (ge and gt below)

The output is dense like klaster's: every region x industry combination, in
code order, with empty values where the input had no firm.  Numbers are
written at full precision.  Independent of klaster's code: written from the
definitions, to check klaster's results as well as to time them.
"""
import sys

import numpy as np
import pandas as pd

COLUMNS = ["region", "industry", "employment", "establishments", "lq", "share_of_region",
           "share_of_industry", "size_star", "specialisation_star", "focus_star", "stars",
           "strong", "strong10"]


TIE = 1e-12


def ge(v, t):
    """v >= t, a value within TIE of t (relative) counting as equal."""
    return v >= t - TIE * np.abs(t)


def gt(v, t):
    """v > t, a value within TIE of t (relative) counting as equal."""
    return v > t + TIE * np.abs(t)


def top_star(v, has):
    """Size-star rule per column of v (regions x industries) over rows where has."""
    n = has.sum(axis=0)
    k = (n * 10 + 99) // 100                      # ceil(n * 10 / 100)
    srt = -np.sort(np.where(has, -v, np.inf), axis=0)   # descending, no-data last
    kk = np.maximum(k, 1) - 1
    thr = srt[kk, np.arange(v.shape[1])]
    return has & (n > 0) & ge(v, thr) & (v > 0)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    src, dst = sys.argv[1], sys.argv[2]
    # codes as strings ("02" stays "02"), stored as categories (as fast as
    # or faster than plain strings here)
    firms = pd.read_csv(src, dtype={"region": "category", "industry": "category",
                                    "employment": "float64", "establishments": "float64"})
    cells = firms.groupby(["region", "industry"], observed=True, sort=False)[
        ["employment", "establishments"]].sum(min_count=1)

    regions = sorted(cells.index.levels[0])
    inds = sorted(cells.index.levels[1])
    emp = cells["employment"].unstack("industry").reindex(index=regions, columns=inds).to_numpy()
    est = cells["establishments"].unstack("industry").reindex(index=regions, columns=inds).to_numpy()

    has = ~np.isnan(emp)
    e0 = np.where(has, emp, 0.0)
    E_r = e0.sum(axis=1, keepdims=True)            # region totals
    E_i = e0.sum(axis=0, keepdims=True)            # industry totals
    E = E_i.sum()
    if (E_r == 0).any():
        sys.exit("a region with zero employment")
    with np.errstate(divide="ignore", invalid="ignore"):
        lq = (emp / E_r) / (E_i / E)
        lq[~has | (E_i == 0).repeat(len(regions), 0)] = np.nan
        share_r = emp / E_r
        share_i = np.where(E_i > 0, emp / E_i, np.nan)

    size = top_star(emp, has)
    spec = has & ge(lq, 2.0)
    focus = top_star(share_r, has)
    stars = size.astype(int) + spec + focus

    # US CMP: percentiles over the regions with employment > 0 and an LQ
    q = has & (emp > 0) & ~np.isnan(lq)
    qs = q & ~np.isnan(est)
    with np.errstate(invalid="ignore"), np.testing.suppress_warnings() as sup:
        sup.filter(RuntimeWarning)                 # all-NaN industries give NaN
        p75 = np.nanquantile(np.where(q, lq, np.nan), 0.75, axis=0, method="linear")
        p90 = np.nanquantile(np.where(q, lq, np.nan), 0.90, axis=0, method="linear")
        p25e = np.nanquantile(np.where(q, emp, np.nan), 0.25, axis=0, method="linear")
        p25s = np.nanquantile(np.where(qs, est, np.nan), 0.25, axis=0, method="linear")
    with np.errstate(invalid="ignore"):
        common = qs & gt(emp, p25e) & gt(est, p25s) & ge(lq, 1.0)
        strong = common & ge(lq, p75)
        strong10 = common & ge(lq, p90)

    nr, ni = emp.shape
    out = pd.DataFrame({
        "region": np.repeat(regions, ni),
        "industry": np.tile(inds, nr),
        "employment": emp.ravel(),
        "establishments": est.ravel(),
        "lq": lq.ravel(),
        "share_of_region": share_r.ravel(),
        "share_of_industry": share_i.ravel(),
    })
    for name, flag in (("size_star", size), ("specialisation_star", spec), ("focus_star", focus),
                       ("stars", stars), ("strong", strong), ("strong10", strong10)):
        out[name] = pd.array(flag.ravel().astype("int64"), dtype="Int64")
        out.loc[~has.ravel(), name] = pd.NA         # no data: no flags (as klaster)
    out[COLUMNS].to_csv(dst, index=False)


if __name__ == "__main__":
    main()
