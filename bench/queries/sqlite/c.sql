-- The window start from the whole seconds of ts: SQLite keeps times in
-- milliseconds, so unixepoch() of '...:09.9996Z' would round up to :10.
SELECT datetime(unixepoch(substr(ts, 1, 19)) / 10 * 10, 'unixepoch') AS w_start,
       datetime(unixepoch(substr(ts, 1, 19)) / 10 * 10 + 10, 'unixepoch') AS w_end,
       page, count(*) AS n
FROM events GROUP BY 1, 2, 3;
