# b. over events.jsonl, split on '"' (run with -F'"'): field 10 is the
# page, field 13 ":X}" the latency.
{ v = substr($13, 2) + 0; c[$10]++; s[$10] += v }
END { print "page,n,a"; for (p in c) printf "%s,%d,%.17g\n", p, c[p], s[p] / c[p] }
