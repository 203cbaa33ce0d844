SELECT strftime(time_bucket(INTERVAL 10 second, ts), '%Y-%m-%d %H:%M:%S') AS w_start,
       strftime(time_bucket(INTERVAL 10 second, ts) + INTERVAL 10 second, '%Y-%m-%d %H:%M:%S') AS w_end,
       page, count(*) AS n
FROM {SRC} GROUP BY ALL
