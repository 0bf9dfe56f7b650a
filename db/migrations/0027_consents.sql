CREATE TABLE `consent_template_versions` (
	`id` text PRIMARY KEY NOT NULL,
	`template_id` text NOT NULL,
	`organization_id` text NOT NULL,
	`version` integer NOT NULL,
	`title` text NOT NULL,
	`body` text NOT NULL,
	`text_sha256` text NOT NULL,
	`created_by` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`template_id`) REFERENCES `consent_templates`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `consent_template_versions_template_version_idx` ON `consent_template_versions` (`template_id`,`version`);--> statement-breakpoint
CREATE TABLE `consent_templates` (
	`id` text PRIMARY KEY NOT NULL,
	`organization_id` text NOT NULL,
	`name` text NOT NULL,
	`current_version` integer DEFAULT 1 NOT NULL,
	`valid_months` integer DEFAULT 12 NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `good_faith_exam_settings` (
	`organization_id` text PRIMARY KEY NOT NULL,
	`required` integer DEFAULT false NOT NULL,
	`valid_months` integer DEFAULT 12 NOT NULL,
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `good_faith_exams` (
	`id` text PRIMARY KEY NOT NULL,
	`organization_id` text NOT NULL,
	`patient_id` text NOT NULL,
	`examiner_id` text NOT NULL,
	`examined_at` integer NOT NULL,
	`findings` text NOT NULL,
	`encounter_id` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`patient_id`) REFERENCES `patients`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`examiner_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`encounter_id`) REFERENCES `encounters`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `good_faith_exams_patient_idx` ON `good_faith_exams` (`patient_id`,`examined_at`);--> statement-breakpoint
CREATE TABLE `patient_consents` (
	`id` text PRIMARY KEY NOT NULL,
	`organization_id` text NOT NULL,
	`patient_id` text NOT NULL,
	`template_id` text NOT NULL,
	`version_id` text NOT NULL,
	`text_sha256` text NOT NULL,
	`signer_name` text NOT NULL,
	`signer_role` text NOT NULL,
	`method` text NOT NULL,
	`strokes` text,
	`appointment_id` text,
	`witness_id` text,
	`device` text NOT NULL,
	`signed_at` integer NOT NULL,
	`client_id` text NOT NULL,
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`patient_id`) REFERENCES `patients`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`template_id`) REFERENCES `consent_templates`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`version_id`) REFERENCES `consent_template_versions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`appointment_id`) REFERENCES `appointments`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`witness_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `patient_consents_patient_idx` ON `patient_consents` (`patient_id`,`template_id`,`signed_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `patient_consents_client_idx` ON `patient_consents` (`organization_id`,`client_id`);--> statement-breakpoint
CREATE TABLE `service_consents` (
	`service_id` text NOT NULL,
	`template_id` text NOT NULL,
	`organization_id` text NOT NULL,
	PRIMARY KEY(`service_id`, `template_id`),
	FOREIGN KEY (`service_id`) REFERENCES `services`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`template_id`) REFERENCES `consent_templates`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TRIGGER `consent_template_versions_final` BEFORE UPDATE ON `consent_template_versions` BEGIN
  SELECT RAISE(ABORT, 'atrium_consent_version_final');
END;--> statement-breakpoint
CREATE TRIGGER `consent_template_versions_no_delete` BEFORE DELETE ON `consent_template_versions` BEGIN
  SELECT RAISE(ABORT, 'atrium_consent_version_final');
END;--> statement-breakpoint
-- Every column but patient_id: merging two records of one person may move a consent, nothing may alter it.
CREATE TRIGGER `patient_consents_final` BEFORE UPDATE OF `id`, `organization_id`, `template_id`, `version_id`, `text_sha256`, `signer_name`, `signer_role`, `method`, `strokes`, `appointment_id`, `witness_id`, `device`, `signed_at`, `client_id` ON `patient_consents` BEGIN
  SELECT RAISE(ABORT, 'atrium_consent_final');
END;--> statement-breakpoint
CREATE TRIGGER `patient_consents_no_delete` BEFORE DELETE ON `patient_consents` BEGIN
  SELECT RAISE(ABORT, 'atrium_consent_final');
END;--> statement-breakpoint
-- A signature names the text it was given: the hash must be that version's.
CREATE TRIGGER `patient_consents_hash_matches` BEFORE INSERT ON `patient_consents` WHEN NEW.`text_sha256` IS NOT (SELECT `text_sha256` FROM `consent_template_versions` WHERE `id` = NEW.`version_id`) BEGIN
  SELECT RAISE(ABORT, 'atrium_consent_hash');
END;--> statement-breakpoint
CREATE TRIGGER `good_faith_exams_final` BEFORE UPDATE OF `id`, `organization_id`, `examiner_id`, `examined_at`, `findings`, `encounter_id`, `created_at` ON `good_faith_exams` BEGIN
  SELECT RAISE(ABORT, 'atrium_exam_final');
END;--> statement-breakpoint
CREATE TRIGGER `good_faith_exams_no_delete` BEFORE DELETE ON `good_faith_exams` BEGIN
  SELECT RAISE(ABORT, 'atrium_exam_final');
END;
