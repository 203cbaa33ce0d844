-- examples/demo.sql — a tour of eddy over the bundled dataset.
-- Run from the repository root:  ./build/shell/eddy -f examples/demo.sql
-- (or `make demo`).  The data comes from examples/gen_data.sh.

.print == eddy demo: 50,000 page views (examples/events.csv) ==

-- A file is a bounded table.  Its columns are declared here...
CREATE TABLE events (
  ts TIMESTAMP, user_id BIGINT, page VARCHAR, latency_ms DOUBLE
) WITH (connector = 'file', path = 'examples/events.csv', format = 'csv',
        header = true);

-- ...or inferred from the CSV header and the first rows.
CREATE TABLE users
  WITH (connector = 'file', path = 'examples/users.csv', format = 'csv',
        header = true);

.print
.print -- the catalog (.schema)
.schema

.print
.print -- views, distinct users and time span
SELECT count(*) AS views, count(DISTINCT user_id) AS users,
       min(ts) AS first_view, max(ts) AS last_view
FROM events;

.print
.print -- top 5 pages by views
SELECT page, count(*) AS views
FROM events
GROUP BY page
ORDER BY views DESC, page
LIMIT 5;

.print
.print -- latency per page: average, worst, and share of slow views (> 500 ms)
SELECT page,
       round(avg(latency_ms), 1) AS avg_ms,
       max(latency_ms) AS max_ms,
       round(100.0 * sum(CASE WHEN latency_ms > 500 THEN 1 ELSE 0 END)
             / count(*), 2) AS slow_pct
FROM events
GROUP BY page
ORDER BY avg_ms DESC;

.print
.print -- views per country: a join with the users table
SELECT u.country, count(*) AS views, count(DISTINCT e.user_id) AS users
FROM events e JOIN users u ON e.user_id = u.id
GROUP BY u.country
ORDER BY views DESC, u.country;

.print
.print -- views by users missing from users.csv (LEFT JOIN, IS NULL)
SELECT count(*) AS views, count(DISTINCT e.user_id) AS unknown_users
FROM events e LEFT JOIN users u ON e.user_id = u.id
WHERE u.id IS NULL;

.print
.print -- views per hour over the first six hours
SELECT date_trunc('hour', ts) AS hour, count(*) AS views,
       round(avg(latency_ms), 1) AS avg_ms
FROM events
WHERE ts < '2024-03-01 06:00:00'
GROUP BY date_trunc('hour', ts)
ORDER BY hour;

.print
.print -- a memory table filled by INSERT ... SELECT: the 3 heaviest users
CREATE TABLE heavy_users (user_id BIGINT, name VARCHAR, views BIGINT);
INSERT INTO heavy_users
SELECT e.user_id, u.name, count(*)
FROM events e JOIN users u ON e.user_id = u.id
GROUP BY e.user_id, u.name
ORDER BY count(*) DESC, e.user_id
LIMIT 3;
INSERT INTO heavy_users VALUES (0, 'a hand-made row', 0);
SELECT * FROM heavy_users;

.print
.print -- how eddy runs a query
EXPLAIN
SELECT page, count(*) AS views FROM events
WHERE latency_ms > 100 GROUP BY page;

.print
.print -- the same file as a stream, read 10,000 rows per micro-batch: views per
.print -- 2-hour window, each written once, when the watermark passes its end (APPEND)
CREATE STREAM clicks (ts TIMESTAMP, user_id BIGINT, page VARCHAR, latency_ms DOUBLE,
                      WATERMARK FOR ts AS ts - INTERVAL '1 minute')
  WITH (connector = 'file', path = 'examples/events.csv', format = 'csv',
        header = true, max_rows_per_trigger = 10000);
SELECT window(ts, '2 hours') AS w, count(*) AS views,
       round(avg(latency_ms), 1) AS avg_ms
FROM clicks
GROUP BY window(ts, '2 hours')
EMIT APPEND;

.print
.print -- a memory stream: every INSERT is one micro-batch, and UPDATE mode
.print -- prints the groups it changed
CREATE STREAM taps (ts TIMESTAMP, button VARCHAR);
SELECT button, count(*) AS taps FROM taps GROUP BY button EMIT UPDATE;
.print -- batch 0
INSERT INTO taps VALUES ('2024-03-01 09:00:01', 'buy'), ('2024-03-01 09:00:02', 'help');
.print -- batch 1
INSERT INTO taps VALUES ('2024-03-01 09:00:03', 'buy');
