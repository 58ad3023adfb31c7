-- Several bot processes on one database (a cluster): a claimed delivery belongs to its process until
-- claim_until (epoch seconds); after that another process takes it over (checked on Discord before any
-- resend); a restarted process takes its own earlier claims back at once (claimed_by). Leases make once-per-cluster work (the source sync, the poll closer, retention sweeps) run in
-- one process at a time: the holder renews its row; when it stops renewing, another process takes it.
ALTER TABLE deliveries ADD COLUMN claim_until INTEGER;
ALTER TABLE deliveries ADD COLUMN claimed_by TEXT;  -- the process (its CLUSTER_ID) holding the claim
CREATE TABLE leases (
    name       TEXT    PRIMARY KEY,
    holder     TEXT    NOT NULL,
    expires_at INTEGER NOT NULL
);
