CREATE TABLE `chart_template_versions` (
	`id` text PRIMARY KEY NOT NULL,
	`template_id` text NOT NULL,
	`organization_id` text NOT NULL,
	`version` integer NOT NULL,
	`sections` text NOT NULL,
	`created_by` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`template_id`) REFERENCES `chart_templates`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `chart_template_versions_template_version_idx` ON `chart_template_versions` (`template_id`,`version`);--> statement-breakpoint
CREATE TABLE `chart_templates` (
	`id` text PRIMARY KEY NOT NULL,
	`organization_id` text NOT NULL,
	`name` text NOT NULL,
	`kind` text NOT NULL,
	`face_chart` integer DEFAULT false NOT NULL,
	`current_version` integer DEFAULT 1 NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `chart_templates_org_name_idx` ON `chart_templates` (`organization_id`,`name`);--> statement-breakpoint
CREATE TABLE `encounter_addenda` (
	`id` text PRIMARY KEY NOT NULL,
	`encounter_id` text NOT NULL,
	`organization_id` text NOT NULL,
	`author_id` text NOT NULL,
	`body` text NOT NULL,
	`signature_method` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`encounter_id`) REFERENCES `encounters`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`author_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `encounter_addenda_encounter_idx` ON `encounter_addenda` (`encounter_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `encounter_points` (
	`id` text PRIMARY KEY NOT NULL,
	`encounter_id` text NOT NULL,
	`organization_id` text NOT NULL,
	`position` integer NOT NULL,
	`view` text NOT NULL,
	`x` integer NOT NULL,
	`y` integer NOT NULL,
	`zone` text NOT NULL,
	`label` text,
	`product_id` text NOT NULL,
	`lot_id` text NOT NULL,
	`amount` integer NOT NULL,
	`depth` text,
	`technique` text,
	`gauge` integer,
	`notes` text,
	FOREIGN KEY (`encounter_id`) REFERENCES `encounters`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`product_id`) REFERENCES `products`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`lot_id`) REFERENCES `product_lots`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `encounter_points_encounter_idx` ON `encounter_points` (`encounter_id`,`position`);--> statement-breakpoint
CREATE INDEX `encounter_points_lot_idx` ON `encounter_points` (`lot_id`);--> statement-breakpoint
CREATE TABLE `encounters` (
	`id` text PRIMARY KEY NOT NULL,
	`organization_id` text NOT NULL,
	`location_id` text NOT NULL,
	`appointment_id` text NOT NULL,
	`patient_id` text NOT NULL,
	`provider_id` text NOT NULL,
	`service_id` text NOT NULL,
	`template_version_id` text NOT NULL,
	`status` text DEFAULT 'draft' NOT NULL,
	`answers` text DEFAULT '{}' NOT NULL,
	`revision` integer DEFAULT 1 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`updated_by` text,
	`signed_at` integer,
	`signed_by` text,
	`signature_method` text,
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`location_id`) REFERENCES `locations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`appointment_id`) REFERENCES `appointments`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`patient_id`) REFERENCES `patients`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`provider_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`service_id`) REFERENCES `services`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`template_version_id`) REFERENCES `chart_template_versions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`updated_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`signed_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `encounters_appointment_idx` ON `encounters` (`appointment_id`);--> statement-breakpoint
CREATE INDEX `encounters_patient_idx` ON `encounters` (`patient_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `encounters_provider_idx` ON `encounters` (`provider_id`,`status`,`created_at`);--> statement-breakpoint
CREATE TABLE `product_lots` (
	`id` text PRIMARY KEY NOT NULL,
	`organization_id` text NOT NULL,
	`location_id` text NOT NULL,
	`product_id` text NOT NULL,
	`lot_number` text NOT NULL,
	`expires_on` text NOT NULL,
	`received` integer NOT NULL,
	`remaining` integer NOT NULL,
	`cost_cents` integer DEFAULT 0 NOT NULL,
	`recalled_at` integer,
	`recall_reason` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`location_id`) REFERENCES `locations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`product_id`) REFERENCES `products`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "product_lots_remaining_not_negative" CHECK("product_lots"."remaining" >= 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `product_lots_location_product_lot_idx` ON `product_lots` (`location_id`,`product_id`,`lot_number`);--> statement-breakpoint
CREATE INDEX `product_lots_org_lot_idx` ON `product_lots` (`organization_id`,`lot_number`);--> statement-breakpoint
CREATE TABLE `products` (
	`id` text PRIMARY KEY NOT NULL,
	`organization_id` text NOT NULL,
	`name` text NOT NULL,
	`kind` text NOT NULL,
	`measure` text NOT NULL,
	`package_size` integer NOT NULL,
	`diluent_ml` integer,
	`price_cents` integer NOT NULL,
	`price_basis` text NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `products_org_name_idx` ON `products` (`organization_id`,`name`);--> statement-breakpoint
CREATE TABLE `service_chart_templates` (
	`service_id` text PRIMARY KEY NOT NULL,
	`organization_id` text NOT NULL,
	`template_id` text NOT NULL,
	FOREIGN KEY (`service_id`) REFERENCES `services`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`template_id`) REFERENCES `chart_templates`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `stock_movements` (
	`id` text PRIMARY KEY NOT NULL,
	`organization_id` text NOT NULL,
	`lot_id` text NOT NULL,
	`kind` text NOT NULL,
	`quantity` integer NOT NULL,
	`encounter_id` text,
	`actor_id` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`lot_id`) REFERENCES `product_lots`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`actor_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `stock_movements_lot_idx` ON `stock_movements` (`lot_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `stock_movements_encounter_idx` ON `stock_movements` (`encounter_id`);--> statement-breakpoint
-- A signed encounter is the legal record: the database refuses to change or delete it, its
-- points or its addenda, whatever sends the statement (issue 11, docs/decisions/026-charting.md).
CREATE TRIGGER `encounters_signed_no_update` BEFORE UPDATE ON `encounters` WHEN OLD.`status` = 'signed' BEGIN
  SELECT RAISE(ABORT, 'atrium_encounter_signed');
END;--> statement-breakpoint
CREATE TRIGGER `encounters_signed_no_delete` BEFORE DELETE ON `encounters` WHEN OLD.`status` = 'signed' BEGIN
  SELECT RAISE(ABORT, 'atrium_encounter_signed');
END;--> statement-breakpoint
CREATE TRIGGER `encounter_points_signed_no_insert` BEFORE INSERT ON `encounter_points` WHEN (SELECT `status` FROM `encounters` WHERE `id` = NEW.`encounter_id`) = 'signed' BEGIN
  SELECT RAISE(ABORT, 'atrium_encounter_signed');
END;--> statement-breakpoint
CREATE TRIGGER `encounter_points_signed_no_update` BEFORE UPDATE ON `encounter_points` WHEN (SELECT `status` FROM `encounters` WHERE `id` = OLD.`encounter_id`) = 'signed' BEGIN
  SELECT RAISE(ABORT, 'atrium_encounter_signed');
END;--> statement-breakpoint
CREATE TRIGGER `encounter_points_signed_no_delete` BEFORE DELETE ON `encounter_points` WHEN (SELECT `status` FROM `encounters` WHERE `id` = OLD.`encounter_id`) = 'signed' BEGIN
  SELECT RAISE(ABORT, 'atrium_encounter_signed');
END;--> statement-breakpoint
CREATE TRIGGER `encounter_addenda_no_update` BEFORE UPDATE ON `encounter_addenda` BEGIN
  SELECT RAISE(ABORT, 'atrium_addendum_final');
END;--> statement-breakpoint
CREATE TRIGGER `encounter_addenda_no_delete` BEFORE DELETE ON `encounter_addenda` BEGIN
  SELECT RAISE(ABORT, 'atrium_addendum_final');
END;--> statement-breakpoint
CREATE TRIGGER `encounter_addenda_only_signed` BEFORE INSERT ON `encounter_addenda` WHEN (SELECT `status` FROM `encounters` WHERE `id` = NEW.`encounter_id`) IS NOT 'signed' BEGIN
  SELECT RAISE(ABORT, 'atrium_encounter_not_signed');
END;--> statement-breakpoint
CREATE TRIGGER `chart_template_versions_final` BEFORE UPDATE ON `chart_template_versions` BEGIN
  SELECT RAISE(ABORT, 'atrium_template_version_final');
END;--> statement-breakpoint
-- A recalled lot is never used again, even by a write that checked it just before the recall.
CREATE TRIGGER `stock_movements_not_recalled` BEFORE INSERT ON `stock_movements` WHEN NEW.`kind` = 'use' AND (SELECT `recalled_at` FROM `product_lots` WHERE `id` = NEW.`lot_id`) IS NOT NULL BEGIN
  SELECT RAISE(ABORT, 'atrium_lot_recalled');
END;--> statement-breakpoint
-- An encounter save or signature is written only over the revision it was made from: the first
-- statement of its batch is a guard (a view, so nothing is stored) whose trigger aborts the
-- whole batch when the encounter moved on or was signed meanwhile (as write_guards, 0019).
CREATE VIEW `encounter_guards` AS SELECT NULL AS `encounter_id`, NULL AS `expected_revision` WHERE 0;
--> statement-breakpoint
CREATE TRIGGER `encounter_guards_check` INSTEAD OF INSERT ON `encounter_guards` BEGIN
  SELECT RAISE(ABORT, 'atrium_encounter_signed') WHERE (SELECT `status` FROM `encounters` WHERE `id` = NEW.`encounter_id`) = 'signed';
  SELECT RAISE(ABORT, 'atrium_encounter_stale') WHERE (SELECT `revision` FROM `encounters` WHERE `id` = NEW.`encounter_id`) IS NOT NEW.`expected_revision`;
END;
