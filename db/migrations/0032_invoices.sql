-- Checkout (issue 12, ADR 033): invoices built from the visit, their lines, tips and payments.
-- Money in integer cents; quantities in hundredths (as charted amounts are).
ALTER TABLE `locations` ADD `tax_mode` text DEFAULT 'exclusive' NOT NULL CHECK (`tax_mode` IN ('exclusive', 'inclusive'));--> statement-breakpoint
-- Thousandths of a percent: 8.875 % = 8875.
ALTER TABLE `locations` ADD `tax_services_rate` integer DEFAULT 0 NOT NULL CHECK (`tax_services_rate` BETWEEN 0 AND 100000);--> statement-breakpoint
ALTER TABLE `locations` ADD `tax_retail_rate` integer DEFAULT 0 NOT NULL CHECK (`tax_retail_rate` BETWEEN 0 AND 100000);--> statement-breakpoint
-- The largest discount the front desk may give without a manager, in basis points (10 %).
ALTER TABLE `organizations` ADD `desk_discount_limit` integer DEFAULT 1000 NOT NULL CHECK (`desk_discount_limit` BETWEEN 0 AND 10000);--> statement-breakpoint
-- Tip presets offered at checkout, basis points, comma-separated.
ALTER TABLE `organizations` ADD `tip_presets` text DEFAULT '1800,2000,2500' NOT NULL;--> statement-breakpoint
-- Injectables are billed by what was charted (per unit, per syringe), not at the service's price.
ALTER TABLE `services` ADD `billed_by_product` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE TABLE `invoices` (
	`id` text PRIMARY KEY NOT NULL,
	`organization_id` text NOT NULL REFERENCES `organizations`(`id`),
	`location_id` text NOT NULL REFERENCES `locations`(`id`),
	`patient_id` text NOT NULL REFERENCES `patients`(`id`),
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
	-- Never overpaid: two desks paying at once can't both land past the total.
	CONSTRAINT `invoices_never_overpaid` CHECK (`paid_cents` >= 0 AND `paid_cents` <= `total_cents`),
	CONSTRAINT `invoices_refunds_within_paid` CHECK (`refunded_cents` >= 0 AND `refunded_cents` <= `paid_cents`)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `invoices_org_number_idx` ON `invoices` (`organization_id`, `number`);--> statement-breakpoint
CREATE UNIQUE INDEX `invoices_appointment_idx` ON `invoices` (`appointment_id`) WHERE `appointment_id` IS NOT NULL;--> statement-breakpoint
CREATE INDEX `invoices_location_created_idx` ON `invoices` (`location_id`, `created_at`);--> statement-breakpoint
CREATE INDEX `invoices_patient_idx` ON `invoices` (`patient_id`, `created_at`);--> statement-breakpoint
CREATE TABLE `invoice_lines` (
	`id` text PRIMARY KEY NOT NULL,
	`invoice_id` text NOT NULL REFERENCES `invoices`(`id`),
	`organization_id` text NOT NULL REFERENCES `organizations`(`id`),
	`position` integer NOT NULL,
	`kind` text NOT NULL CHECK (`kind` IN ('service', 'treatment', 'retail')),
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
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `invoice_lines_invoice_idx` ON `invoice_lines` (`invoice_id`, `position`);--> statement-breakpoint
CREATE TABLE `invoice_tips` (
	`invoice_id` text NOT NULL REFERENCES `invoices`(`id`),
	`provider_id` text NOT NULL REFERENCES `users`(`id`),
	`organization_id` text NOT NULL REFERENCES `organizations`(`id`),
	`cents` integer NOT NULL CHECK (`cents` >= 0),
	PRIMARY KEY (`invoice_id`, `provider_id`)
);
--> statement-breakpoint
CREATE TABLE `invoice_events` (
	`id` text PRIMARY KEY NOT NULL,
	`invoice_id` text NOT NULL REFERENCES `invoices`(`id`),
	`organization_id` text NOT NULL REFERENCES `organizations`(`id`),
	`actor_id` text REFERENCES `users`(`id`),
	`kind` text NOT NULL,
	`detail` text NOT NULL,
	`reason` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `invoice_events_invoice_idx` ON `invoice_events` (`invoice_id`, `created_at`);--> statement-breakpoint
CREATE TABLE `payments` (
	`id` text PRIMARY KEY NOT NULL,
	`organization_id` text NOT NULL REFERENCES `organizations`(`id`),
	`location_id` text NOT NULL REFERENCES `locations`(`id`),
	`invoice_id` text NOT NULL REFERENCES `invoices`(`id`),
	`method` text NOT NULL CHECK (`method` IN ('cash', 'card', 'card_on_file', 'gift_card')),
	`amount_cents` integer NOT NULL CHECK (`amount_cents` > 0),
	`tendered_cents` integer,
	`change_cents` integer DEFAULT 0 NOT NULL CHECK (`change_cents` >= 0),
	`status` text DEFAULT 'succeeded' NOT NULL CHECK (`status` IN ('pending', 'succeeded', 'failed')),
	`processor` text NOT NULL CHECK (`processor` IN ('none', 'clinic_terminal', 'stripe')),
	`processor_ref` text,
	`card_brand` text,
	`card_last4` text CHECK (`card_last4` IS NULL OR (length(`card_last4`) = 4 AND `card_last4` NOT GLOB '*[^0-9]*')),
	`auth_code` text,
	-- The form's own key: a payment submitted twice (a double tap, a lost answer) is taken once.
	`client_key` text NOT NULL,
	`taken_by` text REFERENCES `users`(`id`),
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `payments_org_client_key_idx` ON `payments` (`organization_id`, `client_key`);--> statement-breakpoint
CREATE INDEX `payments_invoice_idx` ON `payments` (`invoice_id`);--> statement-breakpoint
CREATE INDEX `payments_location_created_idx` ON `payments` (`location_id`, `created_at`);--> statement-breakpoint
-- A void invoice takes no payment, even from a request that read it just before it was voided.
CREATE TRIGGER `payments_not_on_void` BEFORE INSERT ON `payments` WHEN (SELECT `status` FROM `invoices` WHERE `id` = NEW.`invoice_id`) = 'void' BEGIN
  SELECT RAISE(ABORT, 'atrium_invoice_void');
END;--> statement-breakpoint
-- An invoice's lines, discount and tip are written only over the revision they were computed
-- from (as encounter_guards, 0024): two desks editing one invoice can't lose each other's change.
CREATE VIEW `invoice_guards` AS SELECT NULL AS `invoice_id`, NULL AS `expected_revision` WHERE 0;
--> statement-breakpoint
CREATE TRIGGER `invoice_guards_check` INSTEAD OF INSERT ON `invoice_guards` BEGIN
  SELECT RAISE(ABORT, 'atrium_invoice_void') WHERE (SELECT `status` FROM `invoices` WHERE `id` = NEW.`invoice_id`) = 'void';
  SELECT RAISE(ABORT, 'atrium_invoice_stale') WHERE (SELECT `revision` FROM `invoices` WHERE `id` = NEW.`invoice_id`) IS NOT NEW.`expected_revision`;
END;
--> statement-breakpoint
-- A recalled lot is never sold either (as stock_movements_not_recalled does for charting, 0024).
CREATE TRIGGER `stock_movements_not_recalled_sale` BEFORE INSERT ON `stock_movements` WHEN NEW.`kind` = 'sell' AND (SELECT `recalled_at` FROM `product_lots` WHERE `id` = NEW.`lot_id`) IS NOT NULL BEGIN
  SELECT RAISE(ABORT, 'atrium_lot_recalled');
END;
