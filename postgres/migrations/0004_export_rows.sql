-- 0004_export_rows: an item's export row, resolved once and kept.
--
-- An export row is every cell of an item's CSV row that depends neither on
-- the view nor on the viewer: the item's own columns and its lists (team
-- and owner names, the parents with their titles and weights, the tags, the
-- check-ins with their authors' names), which an export otherwise resolves
-- with a dozen lookups per row. What does depend on the viewer, which parents
-- they may see, is resolved at export time for the rows that have a
-- restricted parent.
--
-- Triggers keep it honest: every change to anything a row shows marks the
-- rows it touches in export_stale, in the same transaction. Marked rows are
-- recomputed before an export (and after a bulk load), and an export uses
-- the kept rows only when its snapshot has no marked item of its
-- organization; otherwise it resolves every row itself, as before.
--
-- The triggers are statement-level with transition tables, so that a bulk
-- load (COPY) marks its rows with one statement per table, not one per row.

CREATE TABLE export_rows (
    item_id           bigint           NOT NULL PRIMARY KEY REFERENCES items (id) ON DELETE CASCADE,
    kind              text             NOT NULL,
    title             text             NOT NULL,
    description       text             NOT NULL,
    teams             text[]           NOT NULL, -- team names, in order
    creator           text             NOT NULL, -- display name, '' for none
    owners            text[]           NOT NULL, -- display names, in order
    period            text             NOT NULL, -- time period name, '' for none
    start_date        date,
    end_date          date,
    parents           json,                      -- every parent: ID, Title, Weight; NULL for none
    restricted_parent boolean          NOT NULL, -- whether a parent is restricted
    metric_name       text             NOT NULL,
    metric_unit       text             NOT NULL,
    metric_start      double precision NOT NULL,
    metric_target     double precision NOT NULL,
    metric_direction  text             NOT NULL,
    goal_type         text             NOT NULL,
    created_at        timestamptz      NOT NULL,
    last_checkin_date date,
    progress          double precision NOT NULL,
    current_value     double precision NOT NULL,
    status            text             NOT NULL,
    last_checkin_note text             NOT NULL,
    score             double precision,
    tags              text[]           NOT NULL, -- in order
    checkins          json,                      -- newest first; NULL for none
    checkin_count     integer          NOT NULL
);

-- The items whose export row is missing or out of date.
CREATE TABLE export_stale (
    item_id bigint NOT NULL PRIMARY KEY
);

INSERT INTO export_stale SELECT id FROM items;

-- export_mark_new marks the items named by column TG_ARGV[0] of the rows a
-- statement inserted or updated; export_mark_old those of the rows it
-- deleted, when the item still exists (not when it is itself being
-- deleted). Ids are inserted in order, so that concurrent markers take
-- their locks in one order.
CREATE FUNCTION export_mark_new() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('INSERT INTO export_stale SELECT DISTINCT %1$I FROM new_rows ORDER BY 1 ON CONFLICT DO NOTHING', TG_ARGV[0]);
    RETURN NULL;
END
$$;

CREATE FUNCTION export_mark_old() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('INSERT INTO export_stale SELECT DISTINCT o.%1$I FROM old_rows o
        WHERE EXISTS (SELECT 1 FROM items i WHERE i.id = o.%1$I) ORDER BY 1 ON CONFLICT DO NOTHING', TG_ARGV[0]);
    RETURN NULL;
END
$$;

-- An item's own columns, and its children's parent lists when its title or
-- visibility changes.
CREATE FUNCTION items_export_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO export_stale SELECT id FROM new_rows ORDER BY 1 ON CONFLICT DO NOTHING;
    INSERT INTO export_stale SELECT DISTINCT a.child_id
        FROM new_rows n JOIN old_rows o ON o.id = n.id JOIN alignments a ON a.parent_id = n.id
        WHERE n.title IS DISTINCT FROM o.title OR n.visibility IS DISTINCT FROM o.visibility
        ORDER BY 1 ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$$;

CREATE FUNCTION items_export_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM export_stale WHERE item_id IN (SELECT id FROM old_rows);
    RETURN NULL;
END
$$;

CREATE TRIGGER items_export_insert AFTER INSERT ON items
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION export_mark_new('id');
CREATE TRIGGER items_export_update AFTER UPDATE ON items
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION items_export_update();
CREATE TRIGGER items_export_delete AFTER DELETE ON items
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION items_export_delete();

-- An item's lists.
CREATE TRIGGER item_owners_export_insert AFTER INSERT ON item_owners
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION export_mark_new('item_id');
CREATE TRIGGER item_owners_export_update AFTER UPDATE ON item_owners
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION export_mark_new('item_id');
CREATE TRIGGER item_owners_export_delete AFTER DELETE ON item_owners
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION export_mark_old('item_id');
CREATE TRIGGER item_teams_export_insert AFTER INSERT ON item_teams
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION export_mark_new('item_id');
CREATE TRIGGER item_teams_export_update AFTER UPDATE ON item_teams
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION export_mark_new('item_id');
CREATE TRIGGER item_teams_export_delete AFTER DELETE ON item_teams
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION export_mark_old('item_id');
CREATE TRIGGER item_tags_export_insert AFTER INSERT ON item_tags
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION export_mark_new('item_id');
CREATE TRIGGER item_tags_export_update AFTER UPDATE ON item_tags
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION export_mark_new('item_id');
CREATE TRIGGER item_tags_export_delete AFTER DELETE ON item_tags
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION export_mark_old('item_id');
CREATE TRIGGER checkins_export_insert AFTER INSERT ON checkins
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION export_mark_new('item_id');
CREATE TRIGGER checkins_export_update AFTER UPDATE ON checkins
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION export_mark_new('item_id');
CREATE TRIGGER checkins_export_delete AFTER DELETE ON checkins
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION export_mark_old('item_id');
CREATE TRIGGER alignments_export_insert AFTER INSERT ON alignments
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION export_mark_new('child_id');
CREATE TRIGGER alignments_export_update AFTER UPDATE ON alignments
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION export_mark_new('child_id');
CREATE TRIGGER alignments_export_delete AFTER DELETE ON alignments
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION export_mark_old('child_id');

-- Names that rows show.
CREATE FUNCTION users_export_rename() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO export_stale
    SELECT item_id FROM item_owners WHERE user_id IN (
        SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE n.display_name IS DISTINCT FROM o.display_name)
    UNION
    SELECT id FROM items WHERE creator_id IN (
        SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE n.display_name IS DISTINCT FROM o.display_name)
    UNION
    SELECT item_id FROM checkins WHERE user_id IN (
        SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE n.display_name IS DISTINCT FROM o.display_name)
    ORDER BY 1 ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$$;

CREATE FUNCTION teams_export_rename() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO export_stale SELECT DISTINCT item_id FROM item_teams WHERE team_id IN (
        SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE n.name IS DISTINCT FROM o.name)
    ORDER BY 1 ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$$;

CREATE FUNCTION time_periods_export_rename() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO export_stale SELECT id FROM items WHERE period_id IN (
        SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE n.name IS DISTINCT FROM o.name)
    ORDER BY 1 ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$$;

CREATE TRIGGER users_export_rename AFTER UPDATE ON users
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION users_export_rename();
CREATE TRIGGER teams_export_rename AFTER UPDATE ON teams
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION teams_export_rename();
CREATE TRIGGER time_periods_export_rename AFTER UPDATE ON time_periods
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION time_periods_export_rename();
