CREATE TABLE `patient_health_items` (
	`id` text PRIMARY KEY NOT NULL,
	`organization_id` text NOT NULL,
	`patient_id` text NOT NULL,
	`kind` text NOT NULL,
	`name` text NOT NULL,
	`detail` text,
	`severity` text,
	`alert` integer DEFAULT false NOT NULL,
	`created_by` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`patient_id`) REFERENCES `patients`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `patient_health_items_patient_idx` ON `patient_health_items` (`patient_id`,`kind`);--> statement-breakpoint
CREATE TABLE `patient_notes` (
	`id` text PRIMARY KEY NOT NULL,
	`organization_id` text NOT NULL,
	`patient_id` text NOT NULL,
	`author_id` text NOT NULL,
	`body` text NOT NULL,
	`pinned` integer DEFAULT false NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`patient_id`) REFERENCES `patients`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`author_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `patient_notes_patient_idx` ON `patient_notes` (`patient_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `recent_patients` (
	`user_id` text NOT NULL,
	`patient_id` text NOT NULL,
	`organization_id` text NOT NULL,
	`viewed_at` integer NOT NULL,
	PRIMARY KEY(`user_id`, `patient_id`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`patient_id`) REFERENCES `patients`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `recent_patients_user_idx` ON `recent_patients` (`user_id`,`organization_id`,`viewed_at`);--> statement-breakpoint
ALTER TABLE `patients` ADD `preferred_name` text;--> statement-breakpoint
ALTER TABLE `patients` ADD `pronouns` text;--> statement-breakpoint
ALTER TABLE `patients` ADD `sex_at_birth` text;--> statement-breakpoint
ALTER TABLE `patients` ADD `address_line1` text;--> statement-breakpoint
ALTER TABLE `patients` ADD `address_line2` text;--> statement-breakpoint
ALTER TABLE `patients` ADD `city` text;--> statement-breakpoint
ALTER TABLE `patients` ADD `region` text;--> statement-breakpoint
ALTER TABLE `patients` ADD `postal_code` text;--> statement-breakpoint
ALTER TABLE `patients` ADD `country` text;--> statement-breakpoint
ALTER TABLE `patients` ADD `emergency_name` text;--> statement-breakpoint
ALTER TABLE `patients` ADD `emergency_relationship` text;--> statement-breakpoint
ALTER TABLE `patients` ADD `emergency_phone` text;--> statement-breakpoint
ALTER TABLE `patients` ADD `photo_key` text;--> statement-breakpoint
ALTER TABLE `patients` ADD `merged_into_id` text;--> statement-breakpoint
ALTER TABLE `messages` ADD `patient_id` text;--> statement-breakpoint
CREATE INDEX `messages_patient_idx` ON `messages` (`patient_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `messages_appointment_idx` ON `messages` (`appointment_id`);--> statement-breakpoint
CREATE INDEX `appointments_location_created_idx` ON `appointments` (`location_id`,`created_at`);--> statement-breakpoint
-- A record merged into another leaves patient search (its visits, notes and messages moved to
-- the record it was merged into); links to it lead there (issue 10, docs/decisions/024).
CREATE TRIGGER `patient_search_merged` AFTER UPDATE OF `merged_into_id` ON `patients` WHEN NEW.`merged_into_id` IS NOT NULL BEGIN
  DELETE FROM `patient_search` WHERE `rowid` = (SELECT `rowid` FROM `patient_search_keys` WHERE `patient_id` = OLD.`id`);
  DELETE FROM `patient_search_keys` WHERE `patient_id` = OLD.`id`;
END;--> statement-breakpoint
-- A merged record takes no new notes, lists or visits: a write that still names it is refused
-- by the database, whatever sent it (a form opened before the merge, a replay).
CREATE TRIGGER `patient_notes_not_merged` BEFORE INSERT ON `patient_notes` WHEN (SELECT `merged_into_id` FROM `patients` WHERE `id` = NEW.`patient_id`) IS NOT NULL BEGIN
  SELECT RAISE(ABORT, 'atrium_patient_merged');
END;--> statement-breakpoint
CREATE TRIGGER `patient_health_items_not_merged` BEFORE INSERT ON `patient_health_items` WHEN (SELECT `merged_into_id` FROM `patients` WHERE `id` = NEW.`patient_id`) IS NOT NULL BEGIN
  SELECT RAISE(ABORT, 'atrium_patient_merged');
END;--> statement-breakpoint
CREATE TRIGGER `appointments_patient_not_merged` BEFORE INSERT ON `appointments` WHEN (SELECT `merged_into_id` FROM `patients` WHERE `id` = NEW.`patient_id`) IS NOT NULL BEGIN
  SELECT RAISE(ABORT, 'atrium_patient_merged');
END;
