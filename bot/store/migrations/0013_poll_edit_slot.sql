-- The poll message's edit slot, one per poll for every process of a cluster: a process edits a poll's
-- message only after claiming the slot with one atomic conditional UPDATE, which holds it for 2 s. So the
-- message is edited at most once per 2 s however many processes take its votes. Epoch milliseconds.
ALTER TABLE polls ADD COLUMN next_edit_ms INTEGER;
