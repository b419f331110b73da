-- Money documents are corrected by new documents, never edited: the database refuses the rest, so neither a bug
-- nor a hand-typed statement can rewrite what a customer was sent.
--   * credit notes and their lines are never updated or deleted;
--   * TRUNCATE (which skips row triggers) is refused on invoices, their lines, credit notes and the credit
--     ledger, unless the session says `SET pricegraph.allow_truncate = 'on'` (test and benchmark resets);
--   * an invoice's credited amount lies between 0 and its total (0 for a negative total), and what is due is
--     the total less the credited amount (0 once void).
CREATE OR REPLACE FUNCTION pricegraph_guard_credit_note() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% rows are never changed (% %): issue a new credit note instead', TG_TABLE_NAME, TG_OP, OLD.id
    USING ERRCODE = '55000';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER credit_notes_immutable BEFORE UPDATE OR DELETE ON credit_notes
  FOR EACH ROW EXECUTE FUNCTION pricegraph_guard_credit_note();
--> statement-breakpoint
CREATE TRIGGER credit_note_lines_immutable BEFORE UPDATE OR DELETE ON credit_note_lines
  FOR EACH ROW EXECUTE FUNCTION pricegraph_guard_credit_note();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION pricegraph_guard_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('pricegraph.allow_truncate', true) = 'on' THEN
    RETURN NULL;
  END IF;
  RAISE EXCEPTION '% cannot be truncated: money documents are never removed', TG_TABLE_NAME
    USING ERRCODE = '55000';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER invoices_no_truncate BEFORE TRUNCATE ON invoices
  FOR EACH STATEMENT EXECUTE FUNCTION pricegraph_guard_truncate();
--> statement-breakpoint
CREATE TRIGGER invoice_lines_no_truncate BEFORE TRUNCATE ON invoice_lines
  FOR EACH STATEMENT EXECUTE FUNCTION pricegraph_guard_truncate();
--> statement-breakpoint
CREATE TRIGGER credit_notes_no_truncate BEFORE TRUNCATE ON credit_notes
  FOR EACH STATEMENT EXECUTE FUNCTION pricegraph_guard_truncate();
--> statement-breakpoint
CREATE TRIGGER credit_note_lines_no_truncate BEFORE TRUNCATE ON credit_note_lines
  FOR EACH STATEMENT EXECUTE FUNCTION pricegraph_guard_truncate();
--> statement-breakpoint
CREATE TRIGGER credit_ledger_no_truncate BEFORE TRUNCATE ON credit_ledger
  FOR EACH STATEMENT EXECUTE FUNCTION pricegraph_guard_truncate();
--> statement-breakpoint
ALTER TABLE invoices ADD CONSTRAINT invoices_credited_amount_range
  CHECK (credited_amount >= 0 AND credited_amount <= greatest(total, 0));
--> statement-breakpoint
ALTER TABLE invoices ADD CONSTRAINT invoices_amount_due_consistent
  CHECK (amount_due = CASE WHEN status = 'void' THEN 0 ELSE total - credited_amount END);
