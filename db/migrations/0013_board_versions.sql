ALTER TABLE `locations` ADD `floor_version` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Every room and provider state change bumps its location's floor_version, whoever writes it, so
-- board snapshots (which also carry schedule_version) can be ordered.
CREATE TRIGGER room_states_floor_insert AFTER INSERT ON room_states
BEGIN
  UPDATE locations SET floor_version = floor_version + 1 WHERE id = NEW.location_id;
END;
--> statement-breakpoint
CREATE TRIGGER room_states_floor_update AFTER UPDATE ON room_states
BEGIN
  UPDATE locations SET floor_version = floor_version + 1 WHERE id = NEW.location_id;
END;
--> statement-breakpoint
CREATE TRIGGER room_states_floor_delete AFTER DELETE ON room_states
BEGIN
  UPDATE locations SET floor_version = floor_version + 1 WHERE id = OLD.location_id;
END;
--> statement-breakpoint
CREATE TRIGGER provider_states_floor_insert AFTER INSERT ON provider_states
BEGIN
  UPDATE locations SET floor_version = floor_version + 1 WHERE id = NEW.location_id;
END;
--> statement-breakpoint
CREATE TRIGGER provider_states_floor_update AFTER UPDATE ON provider_states
BEGIN
  UPDATE locations SET floor_version = floor_version + 1 WHERE id = NEW.location_id;
END;
--> statement-breakpoint
CREATE TRIGGER provider_states_floor_delete AFTER DELETE ON provider_states
BEGIN
  UPDATE locations SET floor_version = floor_version + 1 WHERE id = OLD.location_id;
END;
