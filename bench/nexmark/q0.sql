-- Nexmark q0: pass-through of every bid.
SELECT auction, bidder, price, date_time FROM bid;
