-- Late fees (issue 12): off by default. When the clinic sets one, an invoice still owed this many
-- days after it was issued gets one late-fee invoice of its own (once: a unique index on what it
-- is for), added by the message job.
ALTER TABLE `organizations` ADD `late_fee_cents` integer DEFAULT 0 NOT NULL CHECK (`late_fee_cents` >= 0);--> statement-breakpoint
ALTER TABLE `organizations` ADD `late_fee_after_days` integer DEFAULT 30 NOT NULL CHECK (`late_fee_after_days` BETWEEN 1 AND 365);--> statement-breakpoint
ALTER TABLE `invoices` ADD `late_fee_for` text REFERENCES `invoices`(`id`);--> statement-breakpoint
CREATE UNIQUE INDEX `invoices_late_fee_for_idx` ON `invoices` (`late_fee_for`) WHERE `late_fee_for` IS NOT NULL;
