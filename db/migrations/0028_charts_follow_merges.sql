-- Merging two records of one person moves the clinical record with the visits (issue 11): a signed
-- chart, its photos, consents and exams may change their patient_id, and nothing else, and only to
-- the record the old one was merged into.
DROP TRIGGER `encounters_signed_no_update`;--> statement-breakpoint
CREATE TRIGGER `encounters_signed_no_update` BEFORE UPDATE OF `id`, `organization_id`, `location_id`, `appointment_id`, `provider_id`, `service_id`, `template_version_id`, `status`, `answers`, `revision`, `created_at`, `updated_at`, `updated_by`, `signed_at`, `signed_by`, `signature_method` ON `encounters` WHEN OLD.`status` = 'signed' BEGIN
  SELECT RAISE(ABORT, 'atrium_encounter_signed');
END;--> statement-breakpoint
DROP TRIGGER `encounter_photos_signed_no_update`;--> statement-breakpoint
CREATE TRIGGER `encounter_photos_signed_no_update` BEFORE UPDATE OF `id`, `organization_id`, `encounter_id`, `client_id`, `stage`, `angle`, `caption`, `file_key`, `thumb_key`, `content_type`, `width`, `height`, `byte_size`, `taken_by`, `created_at` ON `encounter_photos` WHEN (SELECT `status` FROM `encounters` WHERE `id` = OLD.`encounter_id`) = 'signed' BEGIN
  SELECT RAISE(ABORT, 'atrium_encounter_signed');
END;--> statement-breakpoint
CREATE TRIGGER `encounters_patient_follows_merge` BEFORE UPDATE OF `patient_id` ON `encounters` WHEN NEW.`patient_id` IS NOT OLD.`patient_id` AND (SELECT `merged_into_id` FROM `patients` WHERE `id` = OLD.`patient_id`) IS NOT NEW.`patient_id` BEGIN
  SELECT RAISE(ABORT, 'atrium_patient_not_merged');
END;--> statement-breakpoint
CREATE TRIGGER `encounter_photos_patient_follows_merge` BEFORE UPDATE OF `patient_id` ON `encounter_photos` WHEN NEW.`patient_id` IS NOT OLD.`patient_id` AND (SELECT `merged_into_id` FROM `patients` WHERE `id` = OLD.`patient_id`) IS NOT NEW.`patient_id` BEGIN
  SELECT RAISE(ABORT, 'atrium_patient_not_merged');
END;--> statement-breakpoint
CREATE TRIGGER `patient_consents_patient_follows_merge` BEFORE UPDATE OF `patient_id` ON `patient_consents` WHEN NEW.`patient_id` IS NOT OLD.`patient_id` AND (SELECT `merged_into_id` FROM `patients` WHERE `id` = OLD.`patient_id`) IS NOT NEW.`patient_id` BEGIN
  SELECT RAISE(ABORT, 'atrium_patient_not_merged');
END;--> statement-breakpoint
CREATE TRIGGER `good_faith_exams_patient_follows_merge` BEFORE UPDATE OF `patient_id` ON `good_faith_exams` WHEN NEW.`patient_id` IS NOT OLD.`patient_id` AND (SELECT `merged_into_id` FROM `patients` WHERE `id` = OLD.`patient_id`) IS NOT NEW.`patient_id` BEGIN
  SELECT RAISE(ABORT, 'atrium_patient_not_merged');
END;
