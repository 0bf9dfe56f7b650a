CREATE TABLE `submission_replays` (
	`key` text PRIMARY KEY NOT NULL,
	`scope` text NOT NULL,
	`state` text NOT NULL,
	`status` integer,
	`headers` text,
	`body` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `submission_replays_created_idx` ON `submission_replays` (`created_at`);