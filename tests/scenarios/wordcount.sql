-- The classic word count: explode(split(value, ' ')) in a subquery turns
-- each line into one row per word; a running count per word.  UPDATE (the
-- default here): each line's words are written with their new counts.
.mode csv
CREATE STREAM lines (value VARCHAR);
SELECT word, count(*) AS n
FROM (SELECT explode(split(value, ' ')) AS word FROM lines)
GROUP BY word;
.print -- step 1
INSERT INTO lines VALUES ('the cat'), ('the dog');
.print -- step 2
INSERT INTO lines VALUES ('cat and dog');
.print -- step 3
INSERT INTO lines VALUES ('the end');
.print -- end
