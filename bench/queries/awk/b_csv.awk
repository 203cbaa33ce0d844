# b. over events.csv: count and mean latency per page (run with -F,).
NR > 1 { c[$3]++; s[$3] += $4 }
END { print "page,n,a"; for (p in c) printf "%s,%d,%.17g\n", p, c[p], s[p] / c[p] }
