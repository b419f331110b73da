-- Finalized invoices and their lines never change (issue 4). Only these transitions pass:
--   finalized → finalized with changes limited to credited_amount, amount_due, updated_at (credit notes);
--   finalized → void, setting voided_at (and updated_at).
-- Void invoices are frozen; only drafts may be deleted; lines may change only while their invoice is a draft.
CREATE OR REPLACE FUNCTION pricegraph_guard_invoice() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF OLD.status <> 'draft' THEN
      RAISE EXCEPTION 'invoice % is %, it cannot be deleted', OLD.id, OLD.status USING ERRCODE = '55000';
    END IF;
    RETURN OLD;
  END IF;
  IF OLD.status = 'draft' THEN
    RETURN NEW;
  END IF;
  IF OLD.status = 'finalized' AND NEW.status IN ('finalized', 'void')
     AND (to_jsonb(NEW) - 'status' - 'voided_at' - 'credited_amount' - 'amount_due' - 'updated_at')
       = (to_jsonb(OLD) - 'status' - 'voided_at' - 'credited_amount' - 'amount_due' - 'updated_at')
     AND (NEW.status = 'void' OR NEW.voided_at IS NOT DISTINCT FROM OLD.voided_at) THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'invoice % is %, it cannot be changed', OLD.id, OLD.status USING ERRCODE = '55000';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER invoices_immutable BEFORE UPDATE OR DELETE ON invoices
  FOR EACH ROW EXECUTE FUNCTION pricegraph_guard_invoice();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION pricegraph_guard_invoice_line() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  current_status text;
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    SELECT status INTO current_status FROM invoices WHERE id = OLD.invoice_id;
    IF current_status IS DISTINCT FROM 'draft' THEN
      RAISE EXCEPTION 'invoice % is %, its lines cannot be changed', OLD.invoice_id, current_status USING ERRCODE = '55000';
    END IF;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    SELECT status INTO current_status FROM invoices WHERE id = NEW.invoice_id;
    IF current_status IS DISTINCT FROM 'draft' THEN
      RAISE EXCEPTION 'invoice % is %, lines cannot be added', NEW.invoice_id, current_status USING ERRCODE = '55000';
    END IF;
    RETURN NEW;
  END IF;
  RETURN OLD;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER invoice_lines_immutable BEFORE INSERT OR UPDATE OR DELETE ON invoice_lines
  FOR EACH ROW EXECUTE FUNCTION pricegraph_guard_invoice_line();
