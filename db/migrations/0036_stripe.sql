-- Stripe (issue 12, docs/decisions/034-stripe.md): saved cards, charges that wait for Stripe's
-- answer, refunds that do, webhooks processed once, card readers per location.

-- A card charge in flight holds its amount on the invoice until Stripe answers: paid and held
-- together never pass the total, so two desks (or a desk and the patient's phone) can't both
-- charge the last of a balance.
ALTER TABLE `invoices` ADD `held_cents` integer DEFAULT 0 NOT NULL CHECK (`held_cents` >= 0);--> statement-breakpoint
CREATE TRIGGER `invoices_never_overcommitted` BEFORE UPDATE OF `paid_cents`, `held_cents`, `total_cents` ON `invoices` WHEN NEW.`paid_cents` + NEW.`held_cents` > NEW.`total_cents` BEGIN
  SELECT RAISE(ABORT, 'atrium_invoice_overcommitted');
END;--> statement-breakpoint
CREATE TABLE `payment_customers` (
	`organization_id` text NOT NULL REFERENCES `organizations`(`id`),
	`patient_id` text NOT NULL REFERENCES `patients`(`id`),
	`stripe_customer_id` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY (`organization_id`, `patient_id`)
);--> statement-breakpoint
CREATE UNIQUE INDEX `payment_customers_stripe_idx` ON `payment_customers` (`stripe_customer_id`);--> statement-breakpoint
-- Stripe holds the card; we keep its id, brand, last 4 and expiry (no column could hold a number).
CREATE TABLE `saved_cards` (
	`id` text PRIMARY KEY NOT NULL,
	`organization_id` text NOT NULL REFERENCES `organizations`(`id`),
	`patient_id` text NOT NULL REFERENCES `patients`(`id`),
	`stripe_payment_method` text NOT NULL,
	`brand` text NOT NULL,
	`last4` text NOT NULL CHECK (length(`last4`) = 4 AND `last4` NOT GLOB '*[^0-9]*'),
	`exp_month` integer NOT NULL CHECK (`exp_month` BETWEEN 1 AND 12),
	`exp_year` integer NOT NULL CHECK (`exp_year` BETWEEN 2000 AND 2200),
	`is_default` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`removed_at` integer,
	`expiry_reminded_at` integer
);--> statement-breakpoint
CREATE UNIQUE INDEX `saved_cards_payment_method_idx` ON `saved_cards` (`organization_id`, `stripe_payment_method`);--> statement-breakpoint
CREATE UNIQUE INDEX `saved_cards_one_default_idx` ON `saved_cards` (`patient_id`) WHERE `is_default` = 1 AND `removed_at` IS NULL;--> statement-breakpoint
CREATE INDEX `saved_cards_patient_idx` ON `saved_cards` (`organization_id`, `patient_id`);--> statement-breakpoint
CREATE INDEX `saved_cards_expiry_idx` ON `saved_cards` (`exp_year`, `exp_month`) WHERE `removed_at` IS NULL;--> statement-breakpoint
-- A location's Stripe Terminal readers (server-driven: we tell the reader what to collect).
CREATE TABLE `card_readers` (
	`id` text PRIMARY KEY NOT NULL,
	`organization_id` text NOT NULL REFERENCES `organizations`(`id`),
	`location_id` text NOT NULL REFERENCES `locations`(`id`),
	`stripe_reader_id` text NOT NULL,
	`label` text NOT NULL,
	`created_at` integer NOT NULL,
	`removed_at` integer
);--> statement-breakpoint
CREATE UNIQUE INDEX `card_readers_stripe_idx` ON `card_readers` (`stripe_reader_id`);--> statement-breakpoint
CREATE INDEX `card_readers_location_idx` ON `card_readers` (`location_id`);--> statement-breakpoint
ALTER TABLE `payments` ADD `saved_card_id` text REFERENCES `saved_cards`(`id`);--> statement-breakpoint
ALTER TABLE `payments` ADD `reader_id` text REFERENCES `card_readers`(`id`);--> statement-breakpoint
ALTER TABLE `payments` ADD `failure_message` text;--> statement-breakpoint
ALTER TABLE `payments` ADD `settled_at` integer;--> statement-breakpoint
CREATE UNIQUE INDEX `payments_processor_ref_idx` ON `payments` (`processor_ref`) WHERE `processor` = 'stripe' AND `processor_ref` IS NOT NULL;--> statement-breakpoint
ALTER TABLE `refunds` ADD `status` text DEFAULT 'succeeded' NOT NULL CHECK (`status` IN ('pending', 'succeeded', 'failed', 'canceled'));--> statement-breakpoint
ALTER TABLE `refunds` ADD `failure_message` text;--> statement-breakpoint
-- A refund that failed or was canceled gave nothing back: it no longer counts against the payment.
DROP TRIGGER `refunds_within_payment`;--> statement-breakpoint
CREATE TRIGGER `refunds_within_payment` BEFORE INSERT ON `refunds` WHEN NEW.`amount_cents` > (SELECT `amount_cents` FROM `payments` WHERE `id` = NEW.`payment_id`) - (SELECT coalesce(sum(`amount_cents`), 0) FROM `refunds` WHERE `payment_id` = NEW.`payment_id` AND `status` IN ('pending', 'succeeded')) BEGIN
  SELECT RAISE(ABORT, 'atrium_refund_exceeds_payment');
END;--> statement-breakpoint
-- Each Stripe event once: the insert of its id decides, also when it is delivered twice at once.
CREATE TABLE `stripe_events` (
	`id` text PRIMARY KEY NOT NULL,
	`type` text NOT NULL,
	`object_id` text,
	`organization_id` text REFERENCES `organizations`(`id`),
	`stripe_created` integer NOT NULL,
	`received_at` integer NOT NULL,
	`outcome` text
);--> statement-breakpoint
CREATE TABLE `payment_disputes` (
	`id` text PRIMARY KEY NOT NULL,
	`organization_id` text NOT NULL REFERENCES `organizations`(`id`),
	`payment_id` text NOT NULL REFERENCES `payments`(`id`),
	`amount_cents` integer NOT NULL,
	`reason` text NOT NULL,
	`status` text NOT NULL,
	`evidence_due_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);--> statement-breakpoint
CREATE INDEX `payment_disputes_payment_idx` ON `payment_disputes` (`payment_id`);
