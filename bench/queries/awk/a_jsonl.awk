# a. over events.jsonl, split on '"' (run with -F'"'): the generator writes
# {"ts":"..","user_id":N,"page":"..","latency_ms":X}, so field 13 is ":X}".
{ if (substr($13, 2) + 0 > 100) n++ }
END { print "n"; print n + 0 }
