-- 0001_init: goalpost's schema. A PostgreSQL store keeps a twin of this file
-- under the same name; table and column names are shared by both.
--
-- Conventions: GUIDs are TEXT in canonical lower-case form; timestamps are
-- INTEGER unix milliseconds (UTC); calendar dates are TEXT 'YYYY-MM-DD' (NULL
-- when unset), which sorts and compares as dates. Foreign keys are deferred so
-- that a dataset may list its records in any order within one transaction.

CREATE TABLE organizations (
    id              TEXT    NOT NULL PRIMARY KEY,
    name            TEXT    NOT NULL,
    term_objective  TEXT    NOT NULL DEFAULT '',
    term_key_result TEXT    NOT NULL DEFAULT '',
    term_initiative TEXT    NOT NULL DEFAULT '',
    created_at      INTEGER NOT NULL
) STRICT;

CREATE TABLE users (
    id           TEXT NOT NULL PRIMARY KEY,
    upn          TEXT NOT NULL COLLATE NOCASE UNIQUE,
    display_name TEXT NOT NULL,
    manager_id   TEXT REFERENCES users (id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED
) STRICT;

CREATE INDEX users_manager_id ON users (manager_id) WHERE manager_id IS NOT NULL;

CREATE TABLE memberships (
    org_id  TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    role    TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'member', 'observer')),
    PRIMARY KEY (org_id, user_id)
) STRICT;

CREATE INDEX memberships_user_id ON memberships (user_id, role);

CREATE TABLE teams (
    id        TEXT    NOT NULL PRIMARY KEY,
    org_id    TEXT    NOT NULL REFERENCES organizations (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    name      TEXT    NOT NULL,
    parent_id TEXT REFERENCES teams (id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED,
    owner_id  TEXT REFERENCES users (id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED,
    type      TEXT    NOT NULL DEFAULT '',
    archived  INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE INDEX teams_org_id ON teams (org_id);
CREATE INDEX teams_parent_id ON teams (parent_id) WHERE parent_id IS NOT NULL;
CREATE INDEX teams_owner_id ON teams (owner_id) WHERE owner_id IS NOT NULL;

CREATE TABLE team_members (
    team_id  TEXT    NOT NULL REFERENCES teams (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    user_id  TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    position INTEGER NOT NULL,
    PRIMARY KEY (team_id, user_id)
) STRICT;

CREATE INDEX team_members_user_id ON team_members (user_id, team_id);

CREATE TABLE time_periods (
    id         TEXT NOT NULL PRIMARY KEY,
    org_id     TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    name       TEXT NOT NULL,
    start_date TEXT,
    end_date   TEXT
) STRICT;

CREATE INDEX time_periods_org_id ON time_periods (org_id);

CREATE TABLE items (
    id                INTEGER NOT NULL PRIMARY KEY, -- as given: the CSV's Id
    org_id            TEXT    NOT NULL REFERENCES organizations (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    kind              TEXT    NOT NULL,
    level             TEXT    NOT NULL,
    title             TEXT    NOT NULL,
    description       TEXT    NOT NULL DEFAULT '',
    creator_id        TEXT REFERENCES users (id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED,
    period_id         TEXT REFERENCES time_periods (id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED,
    start_date        TEXT,
    end_date          TEXT,
    goal_type         TEXT    NOT NULL,
    metric_name       TEXT    NOT NULL DEFAULT '',
    metric_unit       TEXT    NOT NULL DEFAULT '',
    metric_start      REAL    NOT NULL DEFAULT 0,
    metric_target     REAL    NOT NULL DEFAULT 0,
    metric_direction  TEXT    NOT NULL DEFAULT '',
    current_value     REAL    NOT NULL DEFAULT 0,
    progress          REAL    NOT NULL DEFAULT 0,
    progress_mode     TEXT    NOT NULL,
    status            TEXT    NOT NULL,
    score             REAL,
    visibility        TEXT    NOT NULL CHECK (visibility IN ('everyone', 'restricted')),
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL,
    -- Denormalized from the newest check-in (by date, then activity time) so
    -- that filters and exports need no subquery for them.
    last_checkin_date TEXT,
    last_checkin_note TEXT    NOT NULL DEFAULT ''
) STRICT;

CREATE INDEX items_org_id ON items (org_id, id);
CREATE INDEX items_period_id ON items (period_id) WHERE period_id IS NOT NULL;
CREATE INDEX items_creator_id ON items (creator_id) WHERE creator_id IS NOT NULL;

-- An item's owners, teams and tags keep the order they were given in
-- (position); the *_position indexes hand them to exports in that order.
CREATE TABLE item_owners (
    item_id  INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    user_id  TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    position INTEGER NOT NULL,
    PRIMARY KEY (item_id, user_id)
) STRICT;

CREATE INDEX item_owners_user_id ON item_owners (user_id, item_id);
CREATE UNIQUE INDEX item_owners_position ON item_owners (item_id, position);

CREATE TABLE item_teams (
    item_id  INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    team_id  TEXT    NOT NULL REFERENCES teams (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    position INTEGER NOT NULL,
    PRIMARY KEY (item_id, team_id)
) STRICT;

CREATE INDEX item_teams_team_id ON item_teams (team_id, item_id);
CREATE UNIQUE INDEX item_teams_position ON item_teams (item_id, position);

CREATE TABLE item_tags (
    item_id  INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    tag      TEXT    NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (item_id, tag)
) STRICT;

CREATE INDEX item_tags_tag ON item_tags (tag, item_id);
CREATE UNIQUE INDEX item_tags_position ON item_tags (item_id, position);

-- An item's parents are ordered by position (the order they were given in);
-- the first parent in an export is the item's place in the export's tree.
CREATE TABLE alignments (
    child_id  INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    parent_id INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    weight    REAL    NOT NULL DEFAULT 0,
    position  INTEGER NOT NULL,
    PRIMARY KEY (child_id, parent_id),
    CHECK (child_id <> parent_id)
) STRICT;

CREATE INDEX alignments_child_position ON alignments (child_id, position, parent_id);
CREATE INDEX alignments_parent_id ON alignments (parent_id, child_id);

CREATE TABLE checkins (
    id           INTEGER NOT NULL PRIMARY KEY,
    item_id      INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    checkin_date TEXT    NOT NULL,
    user_id      TEXT REFERENCES users (id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED,
    note         TEXT    NOT NULL DEFAULT '',
    status       TEXT    NOT NULL,
    value        REAL    NOT NULL DEFAULT 0,
    activity_at  INTEGER NOT NULL
) STRICT;

CREATE INDEX checkins_item_newest ON checkins (item_id, checkin_date DESC, activity_at DESC, id DESC);
CREATE INDEX checkins_user_id ON checkins (user_id) WHERE user_id IS NOT NULL;

CREATE TABLE explorer_views (
    id             TEXT    NOT NULL PRIMARY KEY,
    org_id         TEXT    NOT NULL REFERENCES organizations (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    name           TEXT    NOT NULL,
    visibility     TEXT    NOT NULL CHECK (visibility IN ('public', 'private')),
    creator_id     TEXT REFERENCES users (id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED,
    filter_json    TEXT    NOT NULL DEFAULT '{}', -- goalpost.ViewFilter
    top_level_only INTEGER NOT NULL DEFAULT 0,
    export_json    TEXT    NOT NULL DEFAULT '{}', -- goalpost.ExportSettings
    created_at     INTEGER NOT NULL
) STRICT;

CREATE INDEX explorer_views_org_id ON explorer_views (org_id, name);
CREATE INDEX explorer_views_creator_id ON explorer_views (creator_id) WHERE creator_id IS NOT NULL;

-- Export jobs outlive their view (a job whose view is gone fails), so view_id
-- and creator_id are not foreign keys.
CREATE TABLE export_jobs (
    id             TEXT    NOT NULL PRIMARY KEY, -- version-1 GUID
    org_id         TEXT    NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    view_id        TEXT    NOT NULL,
    creator_id     TEXT    NOT NULL,
    status         TEXT    NOT NULL CHECK (status IN ('notStarted', 'running', 'succeeded', 'failed')),
    status_detail  TEXT    NOT NULL DEFAULT '',
    created_at     INTEGER NOT NULL,
    last_action_at INTEGER NOT NULL,
    expires_at     INTEGER NOT NULL,
    started_at     INTEGER,
    completed_at   INTEGER,
    content_key    TEXT,
    content_size   INTEGER NOT NULL DEFAULT 0,
    content_sha256 TEXT    NOT NULL DEFAULT '',
    row_count      INTEGER NOT NULL DEFAULT 0
) STRICT;

-- One pending job per (organization, view): the 409 of a second create.
CREATE UNIQUE INDEX export_jobs_one_pending ON export_jobs (org_id, view_id)
    WHERE status IN ('notStarted', 'running');
CREATE INDEX export_jobs_org_newest ON export_jobs (org_id, created_at DESC, id DESC);
CREATE INDEX export_jobs_creator_newest ON export_jobs (creator_id, created_at DESC, id DESC);
CREATE INDEX export_jobs_status_created ON export_jobs (status, created_at, id);
CREATE INDEX export_jobs_succeeded ON export_jobs (completed_at DESC) WHERE status = 'succeeded';
CREATE INDEX export_jobs_expires_at ON export_jobs (expires_at, id);
CREATE INDEX export_jobs_content_key ON export_jobs (content_key) WHERE content_key IS NOT NULL;
