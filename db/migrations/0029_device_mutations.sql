CREATE TABLE `device_sequences` (
	`device_id` text NOT NULL,
	`user_id` text NOT NULL,
	`last_seq` integer NOT NULL,
	PRIMARY KEY(`device_id`, `user_id`)
);
--> statement-breakpoint
CREATE TABLE `device_mutations` (
	`device_id` text NOT NULL,
	`user_id` text NOT NULL,
	`seq` integer NOT NULL,
	`mutation_id` text NOT NULL,
	`status` integer NOT NULL,
	`answer` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`device_id`, `user_id`, `seq`)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `device_mutations_id_idx` ON `device_mutations` (`user_id`,`mutation_id`);--> statement-breakpoint
CREATE INDEX `device_mutations_created_idx` ON `device_mutations` (`created_at`);--> statement-breakpoint
CREATE TRIGGER `device_mutations_in_order` BEFORE INSERT ON `device_mutations` WHEN NEW.`seq` <> coalesce((SELECT `last_seq` FROM `device_sequences` WHERE `device_id` = NEW.`device_id` AND `user_id` = NEW.`user_id`), 0) + 1 BEGIN
  SELECT RAISE(ABORT, 'atrium_device_sequence');
END;--> statement-breakpoint
CREATE TRIGGER `device_mutations_advance` AFTER INSERT ON `device_mutations` BEGIN
  INSERT OR REPLACE INTO `device_sequences` (`device_id`, `user_id`, `last_seq`) VALUES (NEW.`device_id`, NEW.`user_id`, NEW.`seq`);
END;
--> statement-breakpoint
CREATE VIEW `device_sequence_guards` AS SELECT NULL AS `device_id`, NULL AS `user_id`, NULL AS `seq` WHERE 0;
--> statement-breakpoint
CREATE TRIGGER `device_sequence_guards_check` INSTEAD OF INSERT ON `device_sequence_guards` BEGIN
  SELECT RAISE(ABORT, 'atrium_device_sequence') WHERE NEW.`seq` <> coalesce((SELECT `last_seq` FROM `device_sequences` WHERE `device_id` = NEW.`device_id` AND `user_id` = NEW.`user_id`), 0) + 1;
END;
