-- A closed poll's results message is posted exactly once, even when the process that closed it dies before
-- posting (issue 13): results_message_id records the post (NULL: still owed; 0: posted before it was
-- recorded, or Discord refused it), results_claim_until the time until which one process is posting it
-- (ISO text, like closes_at); after that another process (or the restarted one) looks on Discord for it and
-- posts it only when it is not there.
ALTER TABLE polls ADD COLUMN results_message_id INTEGER;
ALTER TABLE polls ADD COLUMN results_claim_until TEXT;
UPDATE polls SET results_message_id = 0 WHERE closed_at IS NOT NULL;
