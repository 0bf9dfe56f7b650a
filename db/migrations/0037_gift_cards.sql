-- Gift cards (issue 12, docs/decisions/035-gift-cards.md). A card is sold on an invoice (a line of
-- kind 'gift_card') and holds value once that invoice is paid; it pays invoices as a payment
-- method; refunds to it give value back. Every change of balance is a ledger entry written by the
-- database in the same statement as the change, and the balance can't go below zero.

-- invoice_lines gains the 'gift_card' kind (a CHECK, so the table is rebuilt) and the card it sells.
CREATE TABLE `invoice_lines_new` (
	`id` text PRIMARY KEY NOT NULL,
	`invoice_id` text NOT NULL REFERENCES `invoices`(`id`),
	`organization_id` text NOT NULL REFERENCES `organizations`(`id`),
	`position` integer NOT NULL,
	`kind` text NOT NULL CHECK (`kind` IN ('service', 'treatment', 'retail', 'gift_card')),
	`description` text NOT NULL,
	`service_id` text REFERENCES `services`(`id`),
	`product_id` text REFERENCES `products`(`id`),
	`lot_id` text REFERENCES `product_lots`(`id`),
	`encounter_id` text REFERENCES `encounters`(`id`),
	`provider_id` text REFERENCES `users`(`id`),
	`quantity` integer NOT NULL CHECK (`quantity` > 0),
	`unit_cents` integer NOT NULL CHECK (`unit_cents` >= 0),
	`tax_category` text NOT NULL CHECK (`tax_category` IN ('services', 'retail')),
	`tax_rate` integer NOT NULL,
	`discount_kind` text CHECK (`discount_kind` IS NULL OR `discount_kind` IN ('percent', 'amount')),
	`discount_value` integer,
	`discount_reason` text,
	`gross_cents` integer NOT NULL,
	`discount_cents` integer NOT NULL,
	`net_cents` integer NOT NULL,
	`created_at` integer NOT NULL,
	`restocked_at` integer,
	`gift_card_id` text,
	-- When the value this line sold went onto its card (once: the invoice being paid).
	`applied_at` integer
);--> statement-breakpoint
INSERT INTO `invoice_lines_new` (`id`, `invoice_id`, `organization_id`, `position`, `kind`, `description`, `service_id`, `product_id`, `lot_id`, `encounter_id`, `provider_id`, `quantity`, `unit_cents`, `tax_category`, `tax_rate`, `discount_kind`, `discount_value`, `discount_reason`, `gross_cents`, `discount_cents`, `net_cents`, `created_at`, `restocked_at`)
  SELECT `id`, `invoice_id`, `organization_id`, `position`, `kind`, `description`, `service_id`, `product_id`, `lot_id`, `encounter_id`, `provider_id`, `quantity`, `unit_cents`, `tax_category`, `tax_rate`, `discount_kind`, `discount_value`, `discount_reason`, `gross_cents`, `discount_cents`, `net_cents`, `created_at`, `restocked_at` FROM `invoice_lines`;--> statement-breakpoint
DROP TABLE `invoice_lines`;--> statement-breakpoint
ALTER TABLE `invoice_lines_new` RENAME TO `invoice_lines`;--> statement-breakpoint
CREATE INDEX `invoice_lines_invoice_idx` ON `invoice_lines` (`invoice_id`, `position`);--> statement-breakpoint
CREATE INDEX `invoice_lines_gift_card_idx` ON `invoice_lines` (`gift_card_id`) WHERE `gift_card_id` IS NOT NULL;--> statement-breakpoint
ALTER TABLE `organizations` ADD `gift_card_amounts` text DEFAULT '5000,10000,15000,25000' NOT NULL;--> statement-breakpoint
ALTER TABLE `organizations` ADD `gift_card_min_cents` integer DEFAULT 2500 NOT NULL CHECK (`gift_card_min_cents` >= 100);--> statement-breakpoint
ALTER TABLE `organizations` ADD `gift_card_max_cents` integer DEFAULT 100000 NOT NULL CHECK (`gift_card_max_cents` >= `gift_card_min_cents`);--> statement-breakpoint
-- Months a gift card stays good for; NULL (the default) is never expiring.
ALTER TABLE `organizations` ADD `gift_card_expiry_months` integer CHECK (`gift_card_expiry_months` IS NULL OR `gift_card_expiry_months` BETWEEN 1 AND 120);--> statement-breakpoint
CREATE TABLE `gift_cards` (
	`id` text PRIMARY KEY NOT NULL,
	`organization_id` text NOT NULL REFERENCES `organizations`(`id`),
	-- The code is a bearer secret: looked up by its HMAC, shown by its last 4, and kept sealed
	-- (AES-GCM) only so its email and PDF can be made when it is delivered.
	`code_hash` text NOT NULL,
	`code_last4` text NOT NULL,
	`code_sealed` text NOT NULL,
	`initial_cents` integer NOT NULL CHECK (`initial_cents` > 0),
	`balance_cents` integer DEFAULT 0 NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL CHECK (`status` IN ('pending', 'active', 'void')),
	`design` text NOT NULL,
	`recipient_name` text,
	`recipient_email` text,
	`sender_name` text,
	`message` text,
	`deliver_at` integer,
	`delivered_at` integer,
	`expires_at` integer,
	`invoice_id` text REFERENCES `invoices`(`id`),
	`created_by` text REFERENCES `users`(`id`),
	`created_at` integer NOT NULL,
	`activated_at` integer,
	CONSTRAINT `gift_cards_never_negative` CHECK (`balance_cents` >= 0)
);--> statement-breakpoint
CREATE UNIQUE INDEX `gift_cards_code_idx` ON `gift_cards` (`organization_id`, `code_hash`);--> statement-breakpoint
CREATE INDEX `gift_cards_invoice_idx` ON `gift_cards` (`invoice_id`);--> statement-breakpoint
CREATE INDEX `gift_cards_delivery_idx` ON `gift_cards` (`deliver_at`) WHERE `delivered_at` IS NULL AND `status` = 'active';--> statement-breakpoint
CREATE TABLE `gift_card_entries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`gift_card_id` text NOT NULL REFERENCES `gift_cards`(`id`),
	`organization_id` text NOT NULL REFERENCES `organizations`(`id`),
	`kind` text NOT NULL CHECK (`kind` IN ('issue', 'reload', 'redeem', 'refund')),
	`amount_cents` integer NOT NULL,
	`balance_after` integer NOT NULL,
	`invoice_id` text REFERENCES `invoices`(`id`),
	`payment_id` text REFERENCES `payments`(`id`),
	`created_at` integer NOT NULL
);--> statement-breakpoint
CREATE INDEX `gift_card_entries_card_idx` ON `gift_card_entries` (`gift_card_id`, `id`);--> statement-breakpoint
ALTER TABLE `payments` ADD `gift_card_id` text REFERENCES `gift_cards`(`id`);--> statement-breakpoint
-- A gift card pays only while it is active and in date, from the card named, and never below zero
-- (the card's CHECK refuses it and the payment with it): decided in the payment's own insert.
CREATE TRIGGER `payments_gift_card_usable` BEFORE INSERT ON `payments` WHEN NEW.`method` = 'gift_card' AND NOT EXISTS (
  SELECT 1 FROM `gift_cards` WHERE `id` = NEW.`gift_card_id` AND `organization_id` = NEW.`organization_id` AND `status` = 'active' AND (`expires_at` IS NULL OR `expires_at` > NEW.`created_at`)
) BEGIN
  SELECT RAISE(ABORT, 'atrium_gift_card_unusable');
END;--> statement-breakpoint
CREATE TRIGGER `payments_gift_card_redeem` AFTER INSERT ON `payments` WHEN NEW.`method` = 'gift_card' BEGIN
  UPDATE `gift_cards` SET `balance_cents` = `balance_cents` - NEW.`amount_cents` WHERE `id` = NEW.`gift_card_id`;
  INSERT INTO `gift_card_entries` (`gift_card_id`, `organization_id`, `kind`, `amount_cents`, `balance_after`, `invoice_id`, `payment_id`, `created_at`)
    SELECT `id`, `organization_id`, 'redeem', -NEW.`amount_cents`, `balance_cents`, NEW.`invoice_id`, NEW.`id`, NEW.`created_at` FROM `gift_cards` WHERE `id` = NEW.`gift_card_id`;
END;--> statement-breakpoint
-- Money refunded to a gift card goes back on its balance.
CREATE TRIGGER `refunds_gift_card_back` AFTER INSERT ON `refunds` WHEN NEW.`method` = 'gift_card' BEGIN
  UPDATE `gift_cards` SET `balance_cents` = `balance_cents` + NEW.`amount_cents` WHERE `id` = (SELECT `gift_card_id` FROM `payments` WHERE `id` = NEW.`payment_id`);
  INSERT INTO `gift_card_entries` (`gift_card_id`, `organization_id`, `kind`, `amount_cents`, `balance_after`, `invoice_id`, `payment_id`, `created_at`)
    SELECT `id`, `organization_id`, 'refund', NEW.`amount_cents`, `balance_cents`, NEW.`invoice_id`, NEW.`payment_id`, NEW.`created_at` FROM `gift_cards` WHERE `id` = (SELECT `gift_card_id` FROM `payments` WHERE `id` = NEW.`payment_id`);
END;--> statement-breakpoint
-- The invoice that sells (or reloads) cards is paid: each line's value goes onto its card, once.
CREATE TRIGGER `invoices_paid_gift_cards` AFTER UPDATE OF `status` ON `invoices` WHEN NEW.`status` = 'paid' AND OLD.`status` != 'paid' AND EXISTS (SELECT 1 FROM `invoice_lines` WHERE `invoice_id` = NEW.`id` AND `kind` = 'gift_card' AND `applied_at` IS NULL) BEGIN
  UPDATE `gift_cards` SET
    `balance_cents` = `balance_cents` + (SELECT coalesce(sum(`net_cents`), 0) FROM `invoice_lines` l WHERE l.`invoice_id` = NEW.`id` AND l.`gift_card_id` = `gift_cards`.`id` AND l.`applied_at` IS NULL),
    `status` = 'active',
    `activated_at` = coalesce(`activated_at`, NEW.`paid_at`)
  WHERE `id` IN (SELECT `gift_card_id` FROM `invoice_lines` WHERE `invoice_id` = NEW.`id` AND `kind` = 'gift_card' AND `applied_at` IS NULL) AND `status` != 'void';
  INSERT INTO `gift_card_entries` (`gift_card_id`, `organization_id`, `kind`, `amount_cents`, `balance_after`, `invoice_id`, `created_at`)
    SELECT l.`gift_card_id`, l.`organization_id`, CASE WHEN g.`invoice_id` = NEW.`id` THEN 'issue' ELSE 'reload' END, l.`net_cents`, g.`balance_cents`, NEW.`id`, NEW.`paid_at`
    FROM `invoice_lines` l JOIN `gift_cards` g ON g.`id` = l.`gift_card_id` WHERE l.`invoice_id` = NEW.`id` AND l.`kind` = 'gift_card' AND l.`applied_at` IS NULL;
  UPDATE `invoice_lines` SET `applied_at` = NEW.`paid_at` WHERE `invoice_id` = NEW.`id` AND `kind` = 'gift_card' AND `applied_at` IS NULL;
END;--> statement-breakpoint
-- An invoice voided before it was paid: the cards it would have sold never hold value.
CREATE TRIGGER `invoices_void_gift_cards` AFTER UPDATE OF `status` ON `invoices` WHEN NEW.`status` = 'void' BEGIN
  UPDATE `gift_cards` SET `status` = 'void' WHERE `invoice_id` = NEW.`id` AND `status` = 'pending';
END;
--> statement-breakpoint
-- A message's attachment, made when it is sent (a gift card's PDF, a receipt): what the outbox
-- keeps is only this reference, so a secret in the attachment is never stored with the message.
ALTER TABLE `messages` ADD `attachment` text;
