CREATE INDEX `patients_org_dob_idx` ON `patients` (`organization_id`,`date_of_birth`);--> statement-breakpoint
-- Patient search from indexes (issue 14, docs/decisions/022-patient-search.md). A trigram
-- full-text table answers "any word starts with" (each name and the email are stored after a
-- space, and a query word is searched with a space in front of it) and "any run of digits" in
-- the phone number, without scanning. The database keeps it in step with `patients` through
-- the triggers below, whatever writes a patient (the app, an import, the seed).
-- The full-text table holds only the index (contentless): what a search lists and sorts by is
-- in `patient_search_keys`, a small table keyed by the FTS rowid, so taking the first thousand
-- matches reads two b-trees and never the patients themselves. Its own integer key, because a
-- patient's implicit rowid may change on VACUUM.
CREATE TABLE `patient_search_keys` (
  `rowid` INTEGER PRIMARY KEY,
  `patient_id` TEXT NOT NULL UNIQUE,
  `organization_id` TEXT NOT NULL,
  `sort_key` TEXT NOT NULL,
  `names` TEXT NOT NULL
);--> statement-breakpoint
CREATE VIRTUAL TABLE `patient_search` USING fts5(
  `names`, `email`, `phone_digits`,
  content = '', contentless_delete = 1,
  tokenize = 'trigram remove_diacritics 1'
);--> statement-breakpoint
CREATE TRIGGER `patient_search_insert` AFTER INSERT ON `patients` BEGIN
  INSERT INTO `patient_search_keys` (`patient_id`, `organization_id`, `sort_key`, `names`)
  VALUES (NEW.`id`, NEW.`organization_id`, NEW.`last_name` || ' ' || NEW.`first_name`, ' ' || replace(replace(replace(NEW.`first_name`, '-', ' '), '''', ''), '’', '') || ' ' || replace(replace(replace(NEW.`last_name`, '-', ' '), '''', ''), '’', ''));
  INSERT INTO `patient_search` (`rowid`, `names`, `email`, `phone_digits`)
  VALUES ((SELECT `rowid` FROM `patient_search_keys` WHERE `patient_id` = NEW.`id`), ' ' || replace(replace(replace(NEW.`first_name`, '-', ' '), '''', ''), '’', '') || ' ' || replace(replace(replace(NEW.`last_name`, '-', ' '), '''', ''), '’', ''), ' ' || lower(coalesce(NEW.`email`, '')), replace(replace(replace(replace(replace(replace(coalesce(NEW.`phone`, ''), '(', ''), ')', ''), '-', ''), ' ', ''), '.', ''), '+', ''));
END;--> statement-breakpoint
CREATE TRIGGER `patient_search_update` AFTER UPDATE OF `first_name`, `last_name`, `email`, `phone`, `organization_id` ON `patients` BEGIN
  UPDATE `patient_search_keys` SET `organization_id` = NEW.`organization_id`, `sort_key` = NEW.`last_name` || ' ' || NEW.`first_name`, `names` = ' ' || replace(replace(replace(NEW.`first_name`, '-', ' '), '''', ''), '’', '') || ' ' || replace(replace(replace(NEW.`last_name`, '-', ' '), '''', ''), '’', '')
  WHERE `patient_id` = OLD.`id`;
  DELETE FROM `patient_search` WHERE `rowid` = (SELECT `rowid` FROM `patient_search_keys` WHERE `patient_id` = OLD.`id`);
  INSERT INTO `patient_search` (`rowid`, `names`, `email`, `phone_digits`)
  VALUES ((SELECT `rowid` FROM `patient_search_keys` WHERE `patient_id` = NEW.`id`), ' ' || replace(replace(replace(NEW.`first_name`, '-', ' '), '''', ''), '’', '') || ' ' || replace(replace(replace(NEW.`last_name`, '-', ' '), '''', ''), '’', ''), ' ' || lower(coalesce(NEW.`email`, '')), replace(replace(replace(replace(replace(replace(coalesce(NEW.`phone`, ''), '(', ''), ')', ''), '-', ''), ' ', ''), '.', ''), '+', ''));
END;--> statement-breakpoint
CREATE TRIGGER `patient_search_delete` AFTER DELETE ON `patients` BEGIN
  DELETE FROM `patient_search` WHERE `rowid` = (SELECT `rowid` FROM `patient_search_keys` WHERE `patient_id` = OLD.`id`);
  DELETE FROM `patient_search_keys` WHERE `patient_id` = OLD.`id`;
END;--> statement-breakpoint
INSERT INTO `patient_search_keys` (`patient_id`, `organization_id`, `sort_key`, `names`)
SELECT p.`id`, p.`organization_id`, p.`last_name` || ' ' || p.`first_name`, ' ' || replace(replace(replace(p.`first_name`, '-', ' '), '''', ''), '’', '') || ' ' || replace(replace(replace(p.`last_name`, '-', ' '), '''', ''), '’', '') FROM `patients` p ORDER BY p.`rowid`;--> statement-breakpoint
INSERT INTO `patient_search` (`rowid`, `names`, `email`, `phone_digits`)
SELECT k.`rowid`, k.`names`, ' ' || lower(coalesce(p.`email`, '')), replace(replace(replace(replace(replace(replace(coalesce(p.`phone`, ''), '(', ''), ')', ''), '-', ''), ' ', ''), '.', ''), '+', '')
FROM `patients` p JOIN `patient_search_keys` k ON k.`patient_id` = p.`id`;
