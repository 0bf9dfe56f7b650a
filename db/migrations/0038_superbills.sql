-- HSA/FSA and superbills (issue 12, ADR 036): what is eligible, the codes insurers ask for, and
-- who the clinic and its providers are on a claim.
ALTER TABLE `services` ADD `hsa_eligible` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `services` ADD `procedure_code` text;--> statement-breakpoint
ALTER TABLE `services` ADD `diagnosis_code` text;--> statement-breakpoint
ALTER TABLE `products` ADD `hsa_eligible` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `organizations` ADD `tax_id` text;--> statement-breakpoint
ALTER TABLE `users` ADD `credentials` text;--> statement-breakpoint
ALTER TABLE `users` ADD `npi` text;
