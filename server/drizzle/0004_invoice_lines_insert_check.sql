-- Lines may be added only to drafts. Checked once per INSERT statement over its new rows (a transition table)
-- instead of once per row: billing inserts lines a thousand at a time. UPDATE and DELETE keep the row trigger.
DROP TRIGGER IF EXISTS invoice_lines_immutable ON invoice_lines;
--> statement-breakpoint
CREATE TRIGGER invoice_lines_immutable BEFORE UPDATE OR DELETE ON invoice_lines
  FOR EACH ROW EXECUTE FUNCTION pricegraph_guard_invoice_line();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION pricegraph_guard_invoice_line_insert() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  offending record;
BEGIN
  SELECT n.invoice_id, coalesce(i.status, 'missing') AS status INTO offending
    FROM new_lines n LEFT JOIN invoices i ON i.id = n.invoice_id
    WHERE i.status IS DISTINCT FROM 'draft' LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'invoice % is %, lines cannot be added', offending.invoice_id, offending.status USING ERRCODE = '55000';
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER invoice_lines_insert_draft_only AFTER INSERT ON invoice_lines
  REFERENCING NEW TABLE AS new_lines
  FOR EACH STATEMENT EXECUTE FUNCTION pricegraph_guard_invoice_line_insert();
