-- Nexmark q7, its windowed aggregation: the highest bid of each 10-second
-- tumbling window (the part before the join back to the bids).
SELECT window(date_time, '10 seconds') AS w, max(price) AS maxprice
FROM bid
GROUP BY window(date_time, '10 seconds');
