# a. over events.csv: rows with latency_ms > 100 (run with -F,).
NR > 1 && $4 > 100 { n++ }
END { print "n"; print n + 0 }
