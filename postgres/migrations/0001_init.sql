-- 0001_init: goalpost's schema. The twin of sqlite/migrations/0001_init.sql:
-- the same tables, columns, indexes and constraints under the same names, so
-- that the SQL both stores share (package viewsql) runs on either.
--
-- Conventions: GUIDs are uuid; timestamps are timestamptz, written at
-- millisecond precision as on SQLite; calendar dates are date (NULL when
-- unset); item and check-in ids are bigint as given. Foreign keys are
-- deferred so that a dataset may list its records in any order within one
-- transaction (ON DELETE actions still run at once).

CREATE TABLE organizations (
    id              uuid        NOT NULL PRIMARY KEY,
    name            text        NOT NULL,
    term_objective  text        NOT NULL DEFAULT '',
    term_key_result text        NOT NULL DEFAULT '',
    term_initiative text        NOT NULL DEFAULT '',
    created_at      timestamptz NOT NULL
);

-- upn is unique case-insensitively, as SQLite's NOCASE column is; lookups
-- compare lower(upn) so that they use users_upn.
CREATE TABLE users (
    id           uuid NOT NULL PRIMARY KEY,
    upn          text NOT NULL,
    display_name text NOT NULL,
    manager_id   uuid REFERENCES users (id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED
);

CREATE UNIQUE INDEX users_upn ON users (lower(upn));
CREATE INDEX users_manager_id ON users (manager_id) WHERE manager_id IS NOT NULL;

CREATE TABLE memberships (
    org_id  uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    role    text NOT NULL CHECK (role IN ('owner', 'admin', 'member', 'observer')),
    PRIMARY KEY (org_id, user_id)
);

CREATE INDEX memberships_user_id ON memberships (user_id, role);

CREATE TABLE teams (
    id        uuid    NOT NULL PRIMARY KEY,
    org_id    uuid    NOT NULL REFERENCES organizations (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    name      text    NOT NULL,
    parent_id uuid REFERENCES teams (id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED,
    owner_id  uuid REFERENCES users (id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED,
    type      text    NOT NULL DEFAULT '',
    archived  boolean NOT NULL DEFAULT false
);

CREATE INDEX teams_org_id ON teams (org_id);
CREATE INDEX teams_parent_id ON teams (parent_id) WHERE parent_id IS NOT NULL;
CREATE INDEX teams_owner_id ON teams (owner_id) WHERE owner_id IS NOT NULL;

CREATE TABLE team_members (
    team_id  uuid    NOT NULL REFERENCES teams (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    user_id  uuid    NOT NULL REFERENCES users (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    position integer NOT NULL,
    PRIMARY KEY (team_id, user_id)
);

CREATE INDEX team_members_user_id ON team_members (user_id, team_id);

CREATE TABLE time_periods (
    id         uuid NOT NULL PRIMARY KEY,
    org_id     uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    name       text NOT NULL,
    start_date date,
    end_date   date
);

CREATE INDEX time_periods_org_id ON time_periods (org_id);

CREATE TABLE items (
    id                bigint           NOT NULL PRIMARY KEY, -- as given: the CSV's Id
    org_id            uuid             NOT NULL REFERENCES organizations (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    kind              text             NOT NULL,
    level             text             NOT NULL,
    title             text             NOT NULL,
    description       text             NOT NULL DEFAULT '',
    creator_id        uuid REFERENCES users (id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED,
    period_id         uuid REFERENCES time_periods (id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED,
    start_date        date,
    end_date          date,
    goal_type         text             NOT NULL,
    metric_name       text             NOT NULL DEFAULT '',
    metric_unit       text             NOT NULL DEFAULT '',
    metric_start      double precision NOT NULL DEFAULT 0,
    metric_target     double precision NOT NULL DEFAULT 0,
    metric_direction  text             NOT NULL DEFAULT '',
    current_value     double precision NOT NULL DEFAULT 0,
    progress          double precision NOT NULL DEFAULT 0,
    progress_mode     text             NOT NULL,
    status            text             NOT NULL,
    score             double precision,
    visibility        text             NOT NULL CHECK (visibility IN ('everyone', 'restricted')),
    created_at        timestamptz      NOT NULL,
    updated_at        timestamptz      NOT NULL,
    -- Denormalized from the newest check-in (by date, then activity time) so
    -- that filters and exports need no subquery for them.
    last_checkin_date date,
    last_checkin_note text             NOT NULL DEFAULT ''
);

CREATE INDEX items_org_id ON items (org_id, id);
CREATE INDEX items_period_id ON items (period_id) WHERE period_id IS NOT NULL;
CREATE INDEX items_creator_id ON items (creator_id) WHERE creator_id IS NOT NULL;

-- An item's owners, teams and tags keep the order they were given in
-- (position); the *_position indexes hand them to exports in that order.
CREATE TABLE item_owners (
    item_id  bigint  NOT NULL REFERENCES items (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    user_id  uuid    NOT NULL REFERENCES users (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    position integer NOT NULL,
    PRIMARY KEY (item_id, user_id)
);

CREATE INDEX item_owners_user_id ON item_owners (user_id, item_id);
CREATE UNIQUE INDEX item_owners_position ON item_owners (item_id, position);

CREATE TABLE item_teams (
    item_id  bigint  NOT NULL REFERENCES items (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    team_id  uuid    NOT NULL REFERENCES teams (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    position integer NOT NULL,
    PRIMARY KEY (item_id, team_id)
);

CREATE INDEX item_teams_team_id ON item_teams (team_id, item_id);
CREATE UNIQUE INDEX item_teams_position ON item_teams (item_id, position);

CREATE TABLE item_tags (
    item_id  bigint  NOT NULL REFERENCES items (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    tag      text    NOT NULL,
    position integer NOT NULL,
    PRIMARY KEY (item_id, tag)
);

CREATE INDEX item_tags_tag ON item_tags (tag, item_id);
CREATE UNIQUE INDEX item_tags_position ON item_tags (item_id, position);

-- An item's parents are ordered by position (the order they were given in);
-- the first parent in an export is the item's place in the export's tree.
CREATE TABLE alignments (
    child_id  bigint           NOT NULL REFERENCES items (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    parent_id bigint           NOT NULL REFERENCES items (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    weight    double precision NOT NULL DEFAULT 0,
    position  integer          NOT NULL,
    PRIMARY KEY (child_id, parent_id),
    CHECK (child_id <> parent_id)
);

CREATE INDEX alignments_child_position ON alignments (child_id, position, parent_id);
CREATE INDEX alignments_parent_id ON alignments (parent_id, child_id);

CREATE TABLE checkins (
    id           bigint           NOT NULL PRIMARY KEY,
    item_id      bigint           NOT NULL REFERENCES items (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    checkin_date date             NOT NULL,
    user_id      uuid REFERENCES users (id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED,
    note         text             NOT NULL DEFAULT '',
    status       text             NOT NULL,
    value        double precision NOT NULL DEFAULT 0,
    activity_at  timestamptz      NOT NULL
);

CREATE INDEX checkins_item_newest ON checkins (item_id, checkin_date DESC, activity_at DESC, id DESC);
CREATE INDEX checkins_user_id ON checkins (user_id) WHERE user_id IS NOT NULL;

CREATE TABLE explorer_views (
    id             uuid        NOT NULL PRIMARY KEY,
    org_id         uuid        NOT NULL REFERENCES organizations (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    name           text        NOT NULL,
    visibility     text        NOT NULL CHECK (visibility IN ('public', 'private')),
    creator_id     uuid REFERENCES users (id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED,
    filter_json    jsonb       NOT NULL DEFAULT '{}', -- goalpost.ViewFilter
    top_level_only boolean     NOT NULL DEFAULT false,
    export_json    jsonb       NOT NULL DEFAULT '{}', -- goalpost.ExportSettings
    created_at     timestamptz NOT NULL
);

CREATE INDEX explorer_views_org_id ON explorer_views (org_id, name);
CREATE INDEX explorer_views_creator_id ON explorer_views (creator_id) WHERE creator_id IS NOT NULL;

-- Export jobs outlive their view (a job whose view is gone fails), so view_id
-- and creator_id are not foreign keys.
CREATE TABLE export_jobs (
    id             uuid        NOT NULL PRIMARY KEY, -- version-1 GUID
    org_id         uuid        NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    view_id        uuid        NOT NULL,
    creator_id     uuid        NOT NULL,
    status         text        NOT NULL CHECK (status IN ('notStarted', 'running', 'succeeded', 'failed')),
    status_detail  text        NOT NULL DEFAULT '',
    created_at     timestamptz NOT NULL,
    last_action_at timestamptz NOT NULL,
    expires_at     timestamptz NOT NULL,
    started_at     timestamptz,
    completed_at   timestamptz,
    content_key    text,
    content_size   bigint      NOT NULL DEFAULT 0,
    content_sha256 text        NOT NULL DEFAULT '',
    row_count      bigint      NOT NULL DEFAULT 0
);

-- One pending job per (organization, view): the 409 of a second create,
-- race-free across processes and machines.
CREATE UNIQUE INDEX export_jobs_one_pending ON export_jobs (org_id, view_id)
    WHERE status IN ('notStarted', 'running');
CREATE INDEX export_jobs_org_newest ON export_jobs (org_id, created_at DESC, id DESC);
CREATE INDEX export_jobs_creator_newest ON export_jobs (creator_id, created_at DESC, id DESC);
CREATE INDEX export_jobs_status_created ON export_jobs (status, created_at, id);
CREATE INDEX export_jobs_succeeded ON export_jobs (completed_at DESC) WHERE status = 'succeeded';
CREATE INDEX export_jobs_expires_at ON export_jobs (expires_at, id);
CREATE INDEX export_jobs_content_key ON export_jobs (content_key) WHERE content_key IS NOT NULL;
