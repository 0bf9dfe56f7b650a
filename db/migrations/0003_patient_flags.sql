ALTER TABLE `patients` ADD `late_cancellations` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `patients` ADD `no_shows` integer DEFAULT 0 NOT NULL;