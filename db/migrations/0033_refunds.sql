-- Refunds (issue 12, ADR 033): back to the payment they undo, never more than it paid.
CREATE TABLE `refunds` (
	`id` text PRIMARY KEY NOT NULL,
	`organization_id` text NOT NULL REFERENCES `organizations`(`id`),
	`location_id` text NOT NULL REFERENCES `locations`(`id`),
	`invoice_id` text NOT NULL REFERENCES `invoices`(`id`),
	`payment_id` text NOT NULL REFERENCES `payments`(`id`),
	`method` text NOT NULL CHECK (`method` IN ('cash', 'card', 'card_on_file', 'gift_card')),
	`amount_cents` integer NOT NULL CHECK (`amount_cents` > 0),
	`reason` text NOT NULL,
	`processor` text NOT NULL CHECK (`processor` IN ('none', 'clinic_terminal', 'stripe')),
	`processor_ref` text,
	`client_key` text NOT NULL,
	`refunded_by` text REFERENCES `users`(`id`),
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `refunds_org_client_key_idx` ON `refunds` (`organization_id`, `client_key`);--> statement-breakpoint
CREATE INDEX `refunds_payment_idx` ON `refunds` (`payment_id`);--> statement-breakpoint
CREATE INDEX `refunds_location_created_idx` ON `refunds` (`location_id`, `created_at`);--> statement-breakpoint
-- Never more back than the payment took, even when two refunds race: decided in the insert itself.
CREATE TRIGGER `refunds_within_payment` BEFORE INSERT ON `refunds` WHEN NEW.`amount_cents` > (SELECT `amount_cents` FROM `payments` WHERE `id` = NEW.`payment_id`) - (SELECT coalesce(sum(`amount_cents`), 0) FROM `refunds` WHERE `payment_id` = NEW.`payment_id`) BEGIN
  SELECT RAISE(ABORT, 'atrium_refund_exceeds_payment');
END;--> statement-breakpoint
-- A retail line whose items went back on the shelf with a refund (once).
ALTER TABLE `invoice_lines` ADD `restocked_at` integer;
