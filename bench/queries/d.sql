-- d. requests per user (100,000 groups).
SELECT user_id, count(*) AS n FROM events
GROUP BY user_id
TRIGGER AVAILABLE NOW;
