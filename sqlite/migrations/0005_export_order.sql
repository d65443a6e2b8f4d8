-- 0005_export_order: each organization's depth-first order, kept.
--
-- An export lists its rows depth-first through the alignment tree. Walking
-- the tree at export time is most of what an export of a large
-- organization costs once its rows are kept (0004). So each organization's
-- whole tree is kept in walk order: an item's path is the ids from its root
-- down (each as 16 hex digits, so that text order is numeric order), where
-- an item hangs under its first parent (lowest alignment position) and
-- roots are the items without a parent. Ordered by path, the rows are
-- depth-first with siblings by id, exactly as the walk emits them.
--
-- That order is the export's whenever the export holds every item of the
-- organization: a view without a filter exported by someone who sees every
-- item. Other exports still walk the tree over their own selection, where
-- an item may hang under a later parent or become a root.
--
-- Triggers mark an organization in export_order_stale when an item is added
-- or removed or an alignment is added, removed or moved; its order is then
-- computed again as a whole before the next export (and after a bulk load),
-- and an export uses it only when its snapshot holds no mark of its
-- organization.
--
-- The header of such an export, the most check-ins of any item and every
-- tag, comes from an index each: export_rows gains its item's organization.
--
-- And each kept row gains its rendering: every cell of the item's CSV
-- record that depends on the item alone, as csvexport renders it
-- (csvexport.AppendRendered), computed when the row is. An export to a sink
-- that takes renderings then copies cells instead of decoding and
-- formatting every field of every row again.

ALTER TABLE export_rows ADD COLUMN org_id TEXT NOT NULL DEFAULT '';
ALTER TABLE export_rows ADD COLUMN rendered BLOB;
CREATE INDEX export_rows_org_checkins ON export_rows (org_id, checkin_count);
-- A row without a rendering was written by a node of an earlier version
-- during a rolling upgrade (it knows neither new column): the next refresh
-- marks it stale and computes it again, and until then exports of its
-- organization do not read the kept order.
CREATE INDEX export_rows_unrendered ON export_rows (item_id) WHERE rendered IS NULL;
INSERT INTO export_stale SELECT item_id FROM export_rows WHERE true ON CONFLICT DO NOTHING;

-- No foreign key to organizations: a deleted organization's items mark it
-- (items_order_delete), and the next refresh deletes its order. (A foreign
-- key would also make every batch that the refresh inserts keep a
-- statement journal.)
CREATE TABLE export_order (
    org_id  TEXT    NOT NULL,
    path    TEXT    NOT NULL, -- ids from the root down, 16 hex digits each
    item_id INTEGER NOT NULL,
    depth   INTEGER NOT NULL,
    PRIMARY KEY (org_id, path)
) STRICT, WITHOUT ROWID;

-- The organizations whose export order is missing or out of date. No
-- foreign key: a mark made while an organization is being deleted must not
-- fail the deletion; the next refresh clears it.
CREATE TABLE export_order_stale (
    org_id TEXT NOT NULL PRIMARY KEY
) STRICT;

INSERT INTO export_order_stale SELECT id FROM organizations;

CREATE TRIGGER items_order_insert AFTER INSERT ON items BEGIN
    INSERT INTO export_order_stale VALUES (NEW.org_id)
        ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER items_order_delete AFTER DELETE ON items BEGIN
    INSERT INTO export_order_stale VALUES (OLD.org_id)
        ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER alignments_order_insert AFTER INSERT ON alignments BEGIN
    INSERT INTO export_order_stale SELECT org_id FROM items WHERE id = NEW.child_id
        ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER alignments_order_update AFTER UPDATE OF child_id, parent_id, position ON alignments BEGIN
    INSERT INTO export_order_stale SELECT org_id FROM items WHERE id IN (OLD.child_id, NEW.child_id)
        ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER alignments_order_delete AFTER DELETE ON alignments BEGIN
    INSERT INTO export_order_stale SELECT org_id FROM items WHERE id = OLD.child_id
        ON CONFLICT DO NOTHING;
END;
