-- An invoice is voided only while nothing is paid on it — also when a payment lands between the
-- desk reading it and the void being written (issue 12, ADR 033).
CREATE TRIGGER `invoices_void_only_unpaid` BEFORE UPDATE OF `status` ON `invoices` WHEN NEW.`status` = 'void' AND NEW.`paid_cents` > 0 BEGIN
  SELECT RAISE(ABORT, 'atrium_invoice_paid');
END;
