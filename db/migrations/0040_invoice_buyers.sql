-- Gift cards bought by someone who isn't a patient (issue 12, ADR 037): a person buying online
-- from a phone with no account, or a company ordering cards in bulk. An invoice belongs to a
-- patient or to a named buyer with an email; the invoices table is rebuilt to let patient_id be
-- empty (SQLite can't drop NOT NULL in place), and its triggers are made again with it.
CREATE TABLE `invoices_new` (
	`id` text PRIMARY KEY NOT NULL,
	`organization_id` text NOT NULL REFERENCES `organizations`(`id`),
	`location_id` text NOT NULL REFERENCES `locations`(`id`),
	`patient_id` text REFERENCES `patients`(`id`),
	`appointment_id` text REFERENCES `appointments`(`id`),
	`number` integer NOT NULL,
	`status` text DEFAULT 'draft' NOT NULL CHECK (`status` IN ('draft', 'open', 'partially_paid', 'paid', 'void', 'partially_refunded', 'refunded')),
	`tax_mode` text NOT NULL CHECK (`tax_mode` IN ('exclusive', 'inclusive')),
	`discount_kind` text CHECK (`discount_kind` IS NULL OR `discount_kind` IN ('percent', 'amount')),
	`discount_value` integer,
	`discount_reason` text,
	`subtotal_cents` integer DEFAULT 0 NOT NULL,
	`discount_cents` integer DEFAULT 0 NOT NULL,
	`tax_cents` integer DEFAULT 0 NOT NULL,
	`tip_cents` integer DEFAULT 0 NOT NULL CHECK (`tip_cents` >= 0),
	`total_cents` integer DEFAULT 0 NOT NULL CHECK (`total_cents` >= 0),
	`paid_cents` integer DEFAULT 0 NOT NULL,
	`refunded_cents` integer DEFAULT 0 NOT NULL,
	`revision` integer DEFAULT 0 NOT NULL,
	`void_reason` text,
	`created_by` text REFERENCES `users`(`id`),
	`created_at` integer NOT NULL,
	`issued_at` integer,
	`paid_at` integer,
	`held_cents` integer DEFAULT 0 NOT NULL CHECK (`held_cents` >= 0),
	-- The buyer when it isn't a patient: who the receipt goes to.
	`buyer_name` text,
	`buyer_email` text,
	-- SHA-256 of the link an online buyer pays and follows their order by (the link is theirs alone).
	`buyer_token_hash` text,
	CONSTRAINT `invoices_have_a_buyer` CHECK (`patient_id` IS NOT NULL OR (`buyer_name` IS NOT NULL AND `buyer_email` IS NOT NULL)),
	-- Never overpaid: two desks paying at once can't both land past the total.
	CONSTRAINT `invoices_never_overpaid` CHECK (`paid_cents` >= 0 AND `paid_cents` <= `total_cents`),
	CONSTRAINT `invoices_refunds_within_paid` CHECK (`refunded_cents` >= 0 AND `refunded_cents` <= `paid_cents`)
);--> statement-breakpoint
INSERT INTO `invoices_new` (`id`, `organization_id`, `location_id`, `patient_id`, `appointment_id`, `number`, `status`, `tax_mode`, `discount_kind`, `discount_value`, `discount_reason`, `subtotal_cents`, `discount_cents`, `tax_cents`, `tip_cents`, `total_cents`, `paid_cents`, `refunded_cents`, `revision`, `void_reason`, `created_by`, `created_at`, `issued_at`, `paid_at`, `held_cents`)
  SELECT `id`, `organization_id`, `location_id`, `patient_id`, `appointment_id`, `number`, `status`, `tax_mode`, `discount_kind`, `discount_value`, `discount_reason`, `subtotal_cents`, `discount_cents`, `tax_cents`, `tip_cents`, `total_cents`, `paid_cents`, `refunded_cents`, `revision`, `void_reason`, `created_by`, `created_at`, `issued_at`, `paid_at`, `held_cents` FROM `invoices`;--> statement-breakpoint
-- Triggers elsewhere that read invoices would break the rename; they are made again just after.
DROP TRIGGER `payments_not_on_void`;--> statement-breakpoint
DROP TRIGGER `invoice_guards_check`;--> statement-breakpoint
DROP TABLE `invoices`;--> statement-breakpoint
ALTER TABLE `invoices_new` RENAME TO `invoices`;--> statement-breakpoint
CREATE UNIQUE INDEX `invoices_org_number_idx` ON `invoices` (`organization_id`, `number`);--> statement-breakpoint
CREATE UNIQUE INDEX `invoices_appointment_idx` ON `invoices` (`appointment_id`) WHERE `appointment_id` IS NOT NULL;--> statement-breakpoint
CREATE INDEX `invoices_location_created_idx` ON `invoices` (`location_id`, `created_at`);--> statement-breakpoint
CREATE INDEX `invoices_patient_idx` ON `invoices` (`patient_id`, `created_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `invoices_buyer_token_idx` ON `invoices` (`buyer_token_hash`) WHERE `buyer_token_hash` IS NOT NULL;--> statement-breakpoint
CREATE TRIGGER `payments_not_on_void` BEFORE INSERT ON `payments` WHEN (SELECT `status` FROM `invoices` WHERE `id` = NEW.`invoice_id`) = 'void' BEGIN
  SELECT RAISE(ABORT, 'atrium_invoice_void');
END;--> statement-breakpoint
CREATE TRIGGER `invoice_guards_check` INSTEAD OF INSERT ON `invoice_guards` BEGIN
  SELECT RAISE(ABORT, 'atrium_invoice_void') WHERE (SELECT `status` FROM `invoices` WHERE `id` = NEW.`invoice_id`) = 'void';
  SELECT RAISE(ABORT, 'atrium_invoice_stale') WHERE (SELECT `revision` FROM `invoices` WHERE `id` = NEW.`invoice_id`) IS NOT NEW.`expected_revision`;
END;--> statement-breakpoint
CREATE TRIGGER `invoices_void_only_unpaid` BEFORE UPDATE OF `status` ON `invoices` WHEN NEW.`status` = 'void' AND NEW.`paid_cents` > 0 BEGIN
  SELECT RAISE(ABORT, 'atrium_invoice_paid');
END;--> statement-breakpoint
CREATE TRIGGER `invoices_never_overcommitted` BEFORE UPDATE OF `paid_cents`, `held_cents`, `total_cents` ON `invoices` WHEN NEW.`paid_cents` + NEW.`held_cents` > NEW.`total_cents` BEGIN
  SELECT RAISE(ABORT, 'atrium_invoice_overcommitted');
END;--> statement-breakpoint
-- A card gets its face value (the line before discounts): a bulk order's volume discount, or a
-- promotion at the desk, lowers what the buyer pays, not what the card holds.
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
CREATE TRIGGER `invoices_void_gift_cards` AFTER UPDATE OF `status` ON `invoices` WHEN NEW.`status` = 'void' BEGIN
  UPDATE `gift_cards` SET `status` = 'void' WHERE `invoice_id` = NEW.`id` AND `status` = 'pending';
END;--> statement-breakpoint
-- Volume discounts for bulk orders: "count:basis points" pairs, e.g. 10 cards or more → 5 %.
ALTER TABLE `organizations` ADD `gift_card_bulk_tiers` text DEFAULT '10:500,25:1000,50:1500' NOT NULL;--> statement-breakpoint
-- Whether people can buy the clinic's gift cards on its public page (needs online card payments).
ALTER TABLE `organizations` ADD `gift_card_online` integer DEFAULT 1 NOT NULL;
