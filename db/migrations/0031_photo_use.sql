-- How the patient agreed their photographs may be used, recorded with the clinical photography
-- consent (issue 11): only in their clinical record, or also for teaching and marketing.
ALTER TABLE `patient_consents` ADD `photo_use` text CHECK (`photo_use` IS NULL OR `photo_use` IN ('clinical', 'marketing'));
