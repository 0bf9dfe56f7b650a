-- The cash drawer (issue 12, ADR 034): opened with a float, cash in and out with reasons, closed
-- with the amount counted. One open drawer per location, kept by the database.
CREATE TABLE `cash_drawers` (
	`id` text PRIMARY KEY NOT NULL,
	`organization_id` text NOT NULL REFERENCES `organizations`(`id`),
	`location_id` text NOT NULL REFERENCES `locations`(`id`),
	`float_cents` integer NOT NULL CHECK (`float_cents` >= 0),
	`opened_by` text REFERENCES `users`(`id`),
	`opened_at` integer NOT NULL,
	`closed_by` text REFERENCES `users`(`id`),
	`closed_at` integer,
	`expected_cents` integer,
	`counted_cents` integer CHECK (`counted_cents` IS NULL OR `counted_cents` >= 0),
	`note` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `cash_drawers_one_open_idx` ON `cash_drawers` (`location_id`) WHERE `closed_at` IS NULL;--> statement-breakpoint
CREATE INDEX `cash_drawers_location_opened_idx` ON `cash_drawers` (`location_id`, `opened_at`);--> statement-breakpoint
CREATE TABLE `drawer_movements` (
	`id` text PRIMARY KEY NOT NULL,
	`drawer_id` text NOT NULL REFERENCES `cash_drawers`(`id`),
	`organization_id` text NOT NULL REFERENCES `organizations`(`id`),
	`kind` text NOT NULL CHECK (`kind` IN ('in', 'out')),
	`amount_cents` integer NOT NULL CHECK (`amount_cents` > 0),
	`reason` text NOT NULL,
	`actor_id` text REFERENCES `users`(`id`),
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `drawer_movements_drawer_idx` ON `drawer_movements` (`drawer_id`, `created_at`);--> statement-breakpoint
-- Cash moves only through an open drawer.
CREATE TRIGGER `drawer_movements_open_only` BEFORE INSERT ON `drawer_movements` WHEN (SELECT `closed_at` FROM `cash_drawers` WHERE `id` = NEW.`drawer_id`) IS NOT NULL BEGIN
  SELECT RAISE(ABORT, 'atrium_drawer_closed');
END;
