-- 0005_export_order: each organization's depth-first order, kept.
--
-- An export lists its rows depth-first through the alignment tree. Walking
-- the tree at export time is most of what an export of a large
-- organization costs once its rows are kept (0004): a recursive walk
-- sorts the edges it joins once per level, and its paths once more at the
-- end. So each organization's whole tree is kept in walk order: an item's
-- path is the array of ids from its root down, where an item hangs under
-- its first parent (lowest alignment position) and roots are the items
-- without a parent. Ordered by path, the rows are depth-first with siblings
-- by id, exactly as the walk orders them.
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

ALTER TABLE export_rows ADD COLUMN org_id uuid;
ALTER TABLE export_rows ADD COLUMN rendered bytea;
CREATE INDEX export_rows_org_checkins ON export_rows (org_id, checkin_count);
-- A row without a rendering was written by a node of an earlier version
-- during a rolling upgrade (it knows neither new column): the next refresh
-- marks it stale and computes it again, and until then exports of its
-- organization do not read the kept order.
CREATE INDEX export_rows_unrendered ON export_rows (item_id) WHERE rendered IS NULL;
INSERT INTO export_stale SELECT item_id FROM export_rows ON CONFLICT DO NOTHING;

CREATE TABLE export_order (
    org_id  uuid     NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    path    bigint[] NOT NULL, -- ids from the root down
    item_id bigint   NOT NULL,
    depth   integer  NOT NULL,
    PRIMARY KEY (org_id, path)
);

-- The organizations whose export order is missing or out of date. No
-- foreign key: a mark made while an organization is being deleted must not
-- fail the deletion; the next refresh clears it.
CREATE TABLE export_order_stale (
    org_id uuid NOT NULL PRIMARY KEY
);

INSERT INTO export_order_stale SELECT id FROM organizations;

-- order_mark_items marks the organizations of the items a statement
-- inserted (new_rows) or deleted (old_rows), TG_ARGV[0] naming the
-- transition table; order_mark_alignments those of the children of the
-- alignments it inserted, deleted or moved.
CREATE FUNCTION order_mark_items() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('INSERT INTO export_order_stale SELECT DISTINCT org_id FROM %I ORDER BY 1 ON CONFLICT DO NOTHING', TG_ARGV[0]);
    RETURN NULL;
END
$$;

CREATE FUNCTION order_mark_alignments() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO export_order_stale SELECT DISTINCT i.org_id FROM new_rows n JOIN items i ON i.id = n.child_id
            ORDER BY 1 ON CONFLICT DO NOTHING;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO export_order_stale SELECT DISTINCT i.org_id FROM old_rows o JOIN items i ON i.id = o.child_id
            ORDER BY 1 ON CONFLICT DO NOTHING;
    ELSE
        INSERT INTO export_order_stale SELECT DISTINCT i.org_id
            FROM old_rows o FULL JOIN new_rows n ON n.child_id = o.child_id AND n.parent_id = o.parent_id
            JOIN items i ON i.id IN (o.child_id, n.child_id)
            WHERE n.position IS DISTINCT FROM o.position
            ORDER BY 1 ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER items_order_insert AFTER INSERT ON items
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION order_mark_items('new_rows');
CREATE TRIGGER items_order_delete AFTER DELETE ON items
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION order_mark_items('old_rows');
CREATE TRIGGER alignments_order_insert AFTER INSERT ON alignments
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION order_mark_alignments();
CREATE TRIGGER alignments_order_update AFTER UPDATE ON alignments
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION order_mark_alignments();
CREATE TRIGGER alignments_order_delete AFTER DELETE ON alignments
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION order_mark_alignments();
