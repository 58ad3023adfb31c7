-- PostgreSQL twin of ../0010_cluster.sql.
ALTER TABLE deliveries ADD COLUMN claim_until BIGINT;
ALTER TABLE deliveries ADD COLUMN claimed_by TEXT COLLATE "C";  -- the process (its CLUSTER_ID) holding the claim
CREATE TABLE leases (
    name       TEXT COLLATE "C" PRIMARY KEY,
    holder     TEXT COLLATE "C" NOT NULL,
    expires_at BIGINT NOT NULL
);
