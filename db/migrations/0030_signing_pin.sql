ALTER TABLE `users` ADD `signing_pin_check` text;--> statement-breakpoint
ALTER TABLE `users` ADD `signing_pin_set_at` integer;
