CREATE TABLE `category_colors` (
	`organization_id` text NOT NULL,
	`category` text NOT NULL,
	`color` text NOT NULL,
	PRIMARY KEY(`organization_id`, `category`),
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
-- A colour change redraws the calendar: the day grid's markup is cached per schedule version.
CREATE TRIGGER category_colors_schedule_insert AFTER INSERT ON category_colors
BEGIN
  UPDATE locations SET schedule_version = schedule_version + 1 WHERE organization_id = NEW.organization_id;
END;--> statement-breakpoint
CREATE TRIGGER category_colors_schedule_update AFTER UPDATE ON category_colors
BEGIN
  UPDATE locations SET schedule_version = schedule_version + 1 WHERE organization_id = NEW.organization_id;
END;
