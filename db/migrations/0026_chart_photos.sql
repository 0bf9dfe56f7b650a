CREATE TABLE `encounter_photos` (
	`id` text PRIMARY KEY NOT NULL,
	`organization_id` text NOT NULL,
	`encounter_id` text NOT NULL,
	`patient_id` text NOT NULL,
	`client_id` text NOT NULL,
	`stage` text NOT NULL,
	`angle` text NOT NULL,
	`caption` text,
	`file_key` text NOT NULL,
	`thumb_key` text NOT NULL,
	`content_type` text NOT NULL,
	`width` integer NOT NULL,
	`height` integer NOT NULL,
	`byte_size` integer NOT NULL,
	`taken_by` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`encounter_id`) REFERENCES `encounters`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`patient_id`) REFERENCES `patients`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`taken_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `encounter_photos_client_idx` ON `encounter_photos` (`encounter_id`,`client_id`);--> statement-breakpoint
CREATE INDEX `encounter_photos_patient_idx` ON `encounter_photos` (`patient_id`,`created_at`);--> statement-breakpoint
CREATE TRIGGER `encounter_photos_signed_no_insert` BEFORE INSERT ON `encounter_photos` WHEN (SELECT `status` FROM `encounters` WHERE `id` = NEW.`encounter_id`) = 'signed' BEGIN
  SELECT RAISE(ABORT, 'atrium_encounter_signed');
END;--> statement-breakpoint
CREATE TRIGGER `encounter_photos_signed_no_update` BEFORE UPDATE ON `encounter_photos` WHEN (SELECT `status` FROM `encounters` WHERE `id` = OLD.`encounter_id`) = 'signed' BEGIN
  SELECT RAISE(ABORT, 'atrium_encounter_signed');
END;--> statement-breakpoint
CREATE TRIGGER `encounter_photos_signed_no_delete` BEFORE DELETE ON `encounter_photos` WHEN (SELECT `status` FROM `encounters` WHERE `id` = OLD.`encounter_id`) = 'signed' BEGIN
  SELECT RAISE(ABORT, 'atrium_encounter_signed');
END;
