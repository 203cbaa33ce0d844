SELECT user_id, count(*) AS n FROM events GROUP BY user_id;
