-- 0003_versions: the twin of sqlite/migrations/0003_versions.sql. Every
-- resource of the management API carries a version that each change
-- increments (the API's ETag), and an alignment remembers whether its weight
-- was set by hand (rebalancing keeps such weights).

ALTER TABLE organizations ADD COLUMN version bigint NOT NULL DEFAULT 1;
ALTER TABLE memberships ADD COLUMN version bigint NOT NULL DEFAULT 1;
ALTER TABLE teams ADD COLUMN version bigint NOT NULL DEFAULT 1;
ALTER TABLE time_periods ADD COLUMN version bigint NOT NULL DEFAULT 1;
ALTER TABLE items ADD COLUMN version bigint NOT NULL DEFAULT 1;
ALTER TABLE alignments ADD COLUMN version bigint NOT NULL DEFAULT 1;
ALTER TABLE alignments ADD COLUMN weight_fixed boolean NOT NULL DEFAULT false;
ALTER TABLE checkins ADD COLUMN version bigint NOT NULL DEFAULT 1;
ALTER TABLE explorer_views ADD COLUMN version bigint NOT NULL DEFAULT 1;
