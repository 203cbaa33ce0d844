#!/bin/sh
# examples/gen_data.sh — regenerates the demo dataset in examples/:
#   events.csv  50,000 page views: ts, user_id, page, latency_ms
#   users.csv   100 users: id, name, country
# The generator is deterministic (a Park-Miller random sequence in awk, exact
# in the double arithmetic of every awk), so the files are reproducible
# byte for byte.  Usage: sh examples/gen_data.sh [ROWS]
set -eu
dir=$(dirname "$0")
rows=${1:-50000}

awk -v rows="$rows" 'BEGIN {
  seed = 20240301
  npages = split("/home /search /product/1 /product/2 /product/3 /product/4 /product/5 /cart /checkout /about", page, " ")
  # Share of views (per thousand) and typical latency (ms) of each page.
  split("250 150 90 80 70 60 50 110 90 50", weight, " ")
  split("35 120 60 60 60 60 60 45 180 20", base, " ")
  print "ts,user_id,page,latency_ms"
  t = 0
  for (i = 0; i < rows; i++) {
    t += int(rnd() * 3)                    # 0..2 seconds between views
    r = rnd() * 1000; p = 1
    while (p < npages && r >= weight[p]) { r -= weight[p]; p++ }
    user = 1 + int(rnd() * 120)            # users 101..120 are not in users.csv
    lat = base[p] * (0.5 + rnd())
    if (rnd() < 0.01) lat *= 10            # a few slow outliers
    printf "2024-03-01 %02d:%02d:%02d,%d,%s,%.1f\n", int(t / 3600), int(t / 60) % 60, t % 60, user, page[p], lat
  }
}
function rnd() { seed = (seed * 16807) % 2147483647; return seed / 2147483647 }' > "$dir/events.csv"

awk 'BEGIN {
  seed = 7
  split("ann bob carla dmitri eve farid grace hiro ines jon kemal lea mateo nora omar pia quentin rosa sven tao", first, " ")
  split("DE FR US JP BR IN ES SE", country, " ")
  print "id,name,country"
  for (id = 1; id <= 100; id++)
    printf "%d,%s_%d,%s\n", id, first[1 + (id * 7) % 20], id, country[1 + int(rnd() * 8)]
}
function rnd() { seed = (seed * 16807) % 2147483647; return seed / 2147483647 }' > "$dir/users.csv"
