-- 0003_versions: every resource of the management API carries a version
-- that each change increments (the API's ETag), and an alignment remembers
-- whether its weight was set by hand (rebalancing keeps such weights).

ALTER TABLE organizations ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE memberships ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE teams ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE time_periods ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE items ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE alignments ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE alignments ADD COLUMN weight_fixed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE checkins ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE explorer_views ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
