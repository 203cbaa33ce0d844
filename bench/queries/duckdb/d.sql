SELECT user_id, count(*) AS n FROM {SRC} GROUP BY user_id
