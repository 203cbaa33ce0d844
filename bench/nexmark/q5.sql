-- Nexmark q5, its windowed aggregation: bids per auction in 10-second
-- windows sliding every 2 seconds (the part before the join with the
-- per-window maximum).
SELECT auction, window(date_time, '10 seconds', '2 seconds') AS w,
       count(*) AS num
FROM bid
GROUP BY window(date_time, '10 seconds', '2 seconds'), auction;
