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

CREATE TABLE export_rows (
    item_id           INTEGER NOT NULL PRIMARY KEY REFERENCES items (id) ON DELETE CASCADE,
    kind              TEXT    NOT NULL,
    title             TEXT    NOT NULL,
    description       TEXT    NOT NULL,
    teams             TEXT    NOT NULL, -- JSON array of team names, in order
    creator           TEXT    NOT NULL, -- display name, '' for none
    owners            TEXT    NOT NULL, -- JSON array of display names, in order
    period            TEXT    NOT NULL, -- time period name, '' for none
    start_date        TEXT,
    end_date          TEXT,
    parents           TEXT    NOT NULL, -- JSON array of every parent: ID, Title, Weight
    restricted_parent INTEGER NOT NULL, -- 1 if a parent is restricted
    metric_name       TEXT    NOT NULL,
    metric_unit       TEXT    NOT NULL,
    metric_start      REAL    NOT NULL,
    metric_target     REAL    NOT NULL,
    metric_direction  TEXT    NOT NULL,
    goal_type         TEXT    NOT NULL,
    created_at        INTEGER NOT NULL,
    last_checkin_date TEXT,
    progress          REAL    NOT NULL,
    current_value     REAL    NOT NULL,
    status            TEXT    NOT NULL,
    last_checkin_note TEXT    NOT NULL,
    score             REAL,
    tags              TEXT    NOT NULL, -- JSON array, in order
    checkins          TEXT    NOT NULL, -- JSON array, newest first
    checkin_count     INTEGER NOT NULL
) STRICT;

-- The items whose export row is missing or out of date.
CREATE TABLE export_stale (
    item_id INTEGER NOT NULL PRIMARY KEY
) STRICT;

INSERT INTO export_stale SELECT id FROM items;

-- An item's own columns, and its children's parent lists when its title or
-- visibility changes.
CREATE TRIGGER items_export_insert AFTER INSERT ON items BEGIN
    INSERT INTO export_stale VALUES (NEW.id)
        ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER items_export_update AFTER UPDATE ON items BEGIN
    INSERT INTO export_stale VALUES (NEW.id)
        ON CONFLICT DO NOTHING;
    INSERT INTO export_stale SELECT child_id FROM alignments
        WHERE parent_id = NEW.id AND (OLD.title IS NOT NEW.title OR OLD.visibility IS NOT NEW.visibility)
        ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER items_export_delete AFTER DELETE ON items BEGIN
    DELETE FROM export_stale WHERE item_id = OLD.id;
END;

-- An item's lists.
CREATE TRIGGER item_owners_export_insert AFTER INSERT ON item_owners BEGIN
    INSERT INTO export_stale VALUES (NEW.item_id)
        ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER item_owners_export_update AFTER UPDATE ON item_owners BEGIN
    INSERT INTO export_stale VALUES (NEW.item_id)
        ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER item_owners_export_delete AFTER DELETE ON item_owners BEGIN
    INSERT INTO export_stale SELECT id FROM items WHERE id = OLD.item_id
        ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER item_teams_export_insert AFTER INSERT ON item_teams BEGIN
    INSERT INTO export_stale VALUES (NEW.item_id)
        ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER item_teams_export_update AFTER UPDATE ON item_teams BEGIN
    INSERT INTO export_stale VALUES (NEW.item_id)
        ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER item_teams_export_delete AFTER DELETE ON item_teams BEGIN
    INSERT INTO export_stale SELECT id FROM items WHERE id = OLD.item_id
        ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER item_tags_export_insert AFTER INSERT ON item_tags BEGIN
    INSERT INTO export_stale VALUES (NEW.item_id)
        ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER item_tags_export_update AFTER UPDATE ON item_tags BEGIN
    INSERT INTO export_stale VALUES (NEW.item_id)
        ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER item_tags_export_delete AFTER DELETE ON item_tags BEGIN
    INSERT INTO export_stale SELECT id FROM items WHERE id = OLD.item_id
        ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER checkins_export_insert AFTER INSERT ON checkins BEGIN
    INSERT INTO export_stale VALUES (NEW.item_id)
        ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER checkins_export_update AFTER UPDATE ON checkins BEGIN
    INSERT INTO export_stale VALUES (NEW.item_id)
        ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER checkins_export_delete AFTER DELETE ON checkins BEGIN
    INSERT INTO export_stale SELECT id FROM items WHERE id = OLD.item_id
        ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER alignments_export_insert AFTER INSERT ON alignments BEGIN
    INSERT INTO export_stale VALUES (NEW.child_id)
        ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER alignments_export_update AFTER UPDATE ON alignments BEGIN
    INSERT INTO export_stale VALUES (NEW.child_id)
        ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER alignments_export_delete AFTER DELETE ON alignments BEGIN
    INSERT INTO export_stale SELECT id FROM items WHERE id = OLD.child_id
        ON CONFLICT DO NOTHING;
END;

-- Names that rows show.
CREATE TRIGGER users_export_rename AFTER UPDATE OF display_name ON users
WHEN OLD.display_name IS NOT NEW.display_name BEGIN
    INSERT INTO export_stale SELECT item_id FROM item_owners WHERE user_id = NEW.id
        ON CONFLICT DO NOTHING;
    INSERT INTO export_stale SELECT id FROM items WHERE creator_id = NEW.id
        ON CONFLICT DO NOTHING;
    INSERT INTO export_stale SELECT item_id FROM checkins WHERE user_id = NEW.id
        ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER teams_export_rename AFTER UPDATE OF name ON teams
WHEN OLD.name IS NOT NEW.name BEGIN
    INSERT INTO export_stale SELECT item_id FROM item_teams WHERE team_id = NEW.id
        ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER time_periods_export_rename AFTER UPDATE OF name ON time_periods
WHEN OLD.name IS NOT NEW.name BEGIN
    INSERT INTO export_stale SELECT id FROM items WHERE period_id = NEW.id
        ON CONFLICT DO NOTHING;
END;
