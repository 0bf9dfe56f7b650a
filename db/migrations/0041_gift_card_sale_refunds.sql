-- Refunding a gift card's sale takes its value back off the card (issue 12, ADR 037): a refund
-- can name the gift card line it undoes, and the database takes that much off the card in the
-- refund's own insert — refused (the card's CHECK) when the card no longer holds it, so money
-- never goes back for value already spent. A refund that fails at Stripe later puts it back.
ALTER TABLE `refunds` ADD `gift_card_line_id` text REFERENCES `invoice_lines`(`id`);--> statement-breakpoint
-- The ledger gains the 'sale_refund' kind (a CHECK, so the table is rebuilt; the triggers that
-- write to it would break the rename and are made again just after).
DROP TRIGGER `payments_gift_card_redeem`;--> statement-breakpoint
DROP TRIGGER `refunds_gift_card_back`;--> statement-breakpoint
DROP TRIGGER `invoices_paid_gift_cards`;--> statement-breakpoint
CREATE TABLE `gift_card_entries_new` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`gift_card_id` text NOT NULL REFERENCES `gift_cards`(`id`),
	`organization_id` text NOT NULL REFERENCES `organizations`(`id`),
	`kind` text NOT NULL CHECK (`kind` IN ('issue', 'reload', 'redeem', 'refund', 'sale_refund')),
	`amount_cents` integer NOT NULL,
	`balance_after` integer NOT NULL,
	`invoice_id` text REFERENCES `invoices`(`id`),
	`payment_id` text REFERENCES `payments`(`id`),
	`created_at` integer NOT NULL
);--> statement-breakpoint
INSERT INTO `gift_card_entries_new` SELECT `id`, `gift_card_id`, `organization_id`, `kind`, `amount_cents`, `balance_after`, `invoice_id`, `payment_id`, `created_at` FROM `gift_card_entries`;--> statement-breakpoint
DROP TABLE `gift_card_entries`;--> statement-breakpoint
ALTER TABLE `gift_card_entries_new` RENAME TO `gift_card_entries`;--> statement-breakpoint
CREATE INDEX `gift_card_entries_card_idx` ON `gift_card_entries` (`gift_card_id`, `id`);--> statement-breakpoint
CREATE TRIGGER `payments_gift_card_redeem` AFTER INSERT ON `payments` WHEN NEW.`method` = 'gift_card' BEGIN
  UPDATE `gift_cards` SET `balance_cents` = `balance_cents` - NEW.`amount_cents` WHERE `id` = NEW.`gift_card_id`;
  INSERT INTO `gift_card_entries` (`gift_card_id`, `organization_id`, `kind`, `amount_cents`, `balance_after`, `invoice_id`, `payment_id`, `created_at`)
    SELECT `id`, `organization_id`, 'redeem', -NEW.`amount_cents`, `balance_cents`, NEW.`invoice_id`, NEW.`id`, NEW.`created_at` FROM `gift_cards` WHERE `id` = NEW.`gift_card_id`;
END;--> statement-breakpoint
CREATE TRIGGER `refunds_gift_card_back` AFTER INSERT ON `refunds` WHEN NEW.`method` = 'gift_card' BEGIN
  UPDATE `gift_cards` SET `balance_cents` = `balance_cents` + NEW.`amount_cents` WHERE `id` = (SELECT `gift_card_id` FROM `payments` WHERE `id` = NEW.`payment_id`);
  INSERT INTO `gift_card_entries` (`gift_card_id`, `organization_id`, `kind`, `amount_cents`, `balance_after`, `invoice_id`, `payment_id`, `created_at`)
    SELECT `id`, `organization_id`, 'refund', NEW.`amount_cents`, `balance_cents`, NEW.`invoice_id`, NEW.`payment_id`, NEW.`created_at` FROM `gift_cards` WHERE `id` = (SELECT `gift_card_id` FROM `payments` WHERE `id` = NEW.`payment_id`);
END;--> statement-breakpoint
CREATE TRIGGER `invoices_paid_gift_cards` AFTER UPDATE OF `status` ON `invoices` WHEN NEW.`status` = 'paid' AND OLD.`status` != 'paid' AND EXISTS (SELECT 1 FROM `invoice_lines` WHERE `invoice_id` = NEW.`id` AND `kind` = 'gift_card' AND `applied_at` IS NULL) BEGIN
  UPDATE `gift_cards` SET
    `balance_cents` = `balance_cents` + (SELECT coalesce(sum(`gross_cents`), 0) FROM `invoice_lines` l WHERE l.`invoice_id` = NEW.`id` AND l.`gift_card_id` = `gift_cards`.`id` AND l.`applied_at` IS NULL),
    `status` = 'active',
    `activated_at` = coalesce(`activated_at`, NEW.`paid_at`)
  WHERE `id` IN (SELECT `gift_card_id` FROM `invoice_lines` WHERE `invoice_id` = NEW.`id` AND `kind` = 'gift_card' AND `applied_at` IS NULL) AND `status` != 'void';
  INSERT INTO `gift_card_entries` (`gift_card_id`, `organization_id`, `kind`, `amount_cents`, `balance_after`, `invoice_id`, `created_at`)
    SELECT l.`gift_card_id`, l.`organization_id`, CASE WHEN g.`invoice_id` = NEW.`id` THEN 'issue' ELSE 'reload' END, l.`gross_cents`, g.`balance_cents`, NEW.`id`, NEW.`paid_at`
    FROM `invoice_lines` l JOIN `gift_cards` g ON g.`id` = l.`gift_card_id` WHERE l.`invoice_id` = NEW.`id` AND l.`kind` = 'gift_card' AND l.`applied_at` IS NULL;
  UPDATE `invoice_lines` SET `applied_at` = NEW.`paid_at` WHERE `invoice_id` = NEW.`id` AND `kind` = 'gift_card' AND `applied_at` IS NULL;
END;--> statement-breakpoint
CREATE TRIGGER `refunds_gift_card_sale` AFTER INSERT ON `refunds` WHEN NEW.`gift_card_line_id` IS NOT NULL BEGIN
  UPDATE `gift_cards` SET `balance_cents` = `balance_cents` - NEW.`amount_cents` WHERE `id` = (SELECT `gift_card_id` FROM `invoice_lines` WHERE `id` = NEW.`gift_card_line_id` AND `invoice_id` = NEW.`invoice_id` AND `applied_at` IS NOT NULL);
  SELECT RAISE(ABORT, 'atrium_not_a_gift_card_sale') WHERE changes() = 0;
  INSERT INTO `gift_card_entries` (`gift_card_id`, `organization_id`, `kind`, `amount_cents`, `balance_after`, `invoice_id`, `payment_id`, `created_at`)
    SELECT g.`id`, g.`organization_id`, 'sale_refund', -NEW.`amount_cents`, g.`balance_cents`, NEW.`invoice_id`, NEW.`payment_id`, NEW.`created_at` FROM `gift_cards` g JOIN `invoice_lines` l ON l.`gift_card_id` = g.`id` WHERE l.`id` = NEW.`gift_card_line_id`;
END;--> statement-breakpoint
CREATE TRIGGER `refunds_gift_card_sale_failed` AFTER UPDATE OF `status` ON `refunds` WHEN NEW.`gift_card_line_id` IS NOT NULL AND OLD.`status` IN ('pending', 'succeeded') AND NEW.`status` IN ('failed', 'canceled') BEGIN
  UPDATE `gift_cards` SET `balance_cents` = `balance_cents` + NEW.`amount_cents` WHERE `id` = (SELECT `gift_card_id` FROM `invoice_lines` WHERE `id` = NEW.`gift_card_line_id`);
  INSERT INTO `gift_card_entries` (`gift_card_id`, `organization_id`, `kind`, `amount_cents`, `balance_after`, `invoice_id`, `payment_id`, `created_at`)
    SELECT g.`id`, g.`organization_id`, 'sale_refund', NEW.`amount_cents`, g.`balance_cents`, NEW.`invoice_id`, NEW.`payment_id`, NEW.`created_at` FROM `gift_cards` g JOIN `invoice_lines` l ON l.`gift_card_id` = g.`id` WHERE l.`id` = NEW.`gift_card_line_id`;
END;
