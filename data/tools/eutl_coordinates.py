#!/usr/bin/env python3
"""Turns the EU ETS installations' coordinates into decimal degrees.

The Polish installations of the EU Transaction Log give their coordinates as
degrees and minutes written like a decimal number: Elektrownia Bełchatów
"51.16, 19.19" is 51°16' N, 19°19' E (51.267, 19.317), not 51.16, 19.19,
which lies 12 km away; Elektrownia Turów "50.56, 14.54" is 50°56', 14°54'.
Every value has at most two decimals, and 2,063 of the 2,140 have a
"minutes" part below 60.  An installation whose latitude or longitude has
a part of 60 or more cannot be in degrees and minutes and is kept as
registered (counted below).

The values as registered stay in the columns lat_registered and
lon_registered, so that running this again gives the same file.
Usage: eutl_coordinates.py [DATA_DIR] (default: the data/ folder above
this script)."""
import csv
import os
import sys


def dm(text):
    """Degrees.minutes as decimal degrees, or None when the minutes are 60 or more."""
    sign = -1 if text.startswith("-") else 1
    deg, _, minutes = text.lstrip("-").partition(".")
    minutes = (minutes + "00")[:2]
    if int(minutes) >= 60:
        return None
    return sign * (int(deg) + int(minutes) / 60.0)


def main():
    data = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..")
    path = os.path.join(data, "firms", "eutl_installations_PL_slim.csv")
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
        head = list(rows[0].keys()) if rows else []
    if "lat_registered" not in head:
        at = head.index("lon") + 1
        head[at:at] = ["lat_registered", "lon_registered"]
        for r in rows:
            r["lat_registered"], r["lon_registered"] = r["lat"], r["lon"]
    converted = kept = 0
    for r in rows:
        la, lo = r["lat_registered"], r["lon_registered"]
        if la in ("", "NA") or lo in ("", "NA"):
            continue
        a, b = dm(la), dm(lo)
        if a is None or b is None:
            r["lat"], r["lon"] = la, lo
            kept += 1
        else:
            r["lat"], r["lon"] = "%.4f" % a, "%.4f" % b
            converted += 1
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=head, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    print("%s: %d installations in decimal degrees, %d kept as registered (minutes of 60 or more)"
          % (path, converted, kept))


if __name__ == "__main__":
    main()
