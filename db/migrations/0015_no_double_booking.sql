-- No double booking, enforced by the database itself (issue 9, finding 8): an appointment that
-- occupies time may not overlap another of the same provider, nor (while it is still to happen
-- or under way) another booked in the same room. The app checks availability first inside its
-- exclusive write and explains the refusal; these triggers make the guarantee hold whatever
-- writes, even two server processes on one database file.
-- Blocks are bounded (services are at most 8 h plus buffers), so only rows that start within a
-- day before the new block are looked at: an index range on (provider_id | room_id, block_start).
CREATE TRIGGER `appointments_no_provider_overlap_insert`
BEFORE INSERT ON `appointments`
WHEN NEW.`status` IN ('requested', 'confirmed', 'checked_in', 'in_room', 'completed')
BEGIN
  SELECT RAISE(ABORT, 'atrium_provider_overlap') WHERE EXISTS (
    SELECT 1 FROM `appointments` a
    WHERE a.`provider_id` = NEW.`provider_id` AND a.`id` <> NEW.`id`
      AND a.`block_start` > NEW.`block_start` - 86400000 AND a.`block_start` < NEW.`block_end`
      AND a.`block_end` > NEW.`block_start`
      AND a.`status` IN ('requested', 'confirmed', 'checked_in', 'in_room', 'completed'));
END;--> statement-breakpoint
CREATE TRIGGER `appointments_no_provider_overlap_update`
BEFORE UPDATE OF `provider_id`, `block_start`, `block_end`, `status` ON `appointments`
WHEN NEW.`status` IN ('requested', 'confirmed', 'checked_in', 'in_room', 'completed')
BEGIN
  SELECT RAISE(ABORT, 'atrium_provider_overlap') WHERE EXISTS (
    SELECT 1 FROM `appointments` a
    WHERE a.`provider_id` = NEW.`provider_id` AND a.`id` <> NEW.`id`
      AND a.`block_start` > NEW.`block_start` - 86400000 AND a.`block_start` < NEW.`block_end`
      AND a.`block_end` > NEW.`block_start`
      AND a.`status` IN ('requested', 'confirmed', 'checked_in', 'in_room', 'completed'));
END;--> statement-breakpoint
CREATE TRIGGER `appointments_no_room_overlap_insert`
BEFORE INSERT ON `appointments`
WHEN NEW.`room_id` IS NOT NULL AND NEW.`status` IN ('requested', 'confirmed', 'checked_in', 'in_room')
BEGIN
  SELECT RAISE(ABORT, 'atrium_room_overlap') WHERE EXISTS (
    SELECT 1 FROM `appointments` a
    WHERE a.`room_id` = NEW.`room_id` AND a.`id` <> NEW.`id`
      AND a.`block_start` > NEW.`block_start` - 86400000 AND a.`block_start` < NEW.`block_end`
      AND a.`block_end` > NEW.`block_start`
      AND a.`status` IN ('requested', 'confirmed', 'checked_in', 'in_room'));
END;--> statement-breakpoint
CREATE TRIGGER `appointments_no_room_overlap_update`
BEFORE UPDATE OF `room_id`, `block_start`, `block_end`, `status` ON `appointments`
WHEN NEW.`room_id` IS NOT NULL AND NEW.`status` IN ('requested', 'confirmed', 'checked_in', 'in_room')
BEGIN
  SELECT RAISE(ABORT, 'atrium_room_overlap') WHERE EXISTS (
    SELECT 1 FROM `appointments` a
    WHERE a.`room_id` = NEW.`room_id` AND a.`id` <> NEW.`id`
      AND a.`block_start` > NEW.`block_start` - 86400000 AND a.`block_start` < NEW.`block_end`
      AND a.`block_end` > NEW.`block_start`
      AND a.`status` IN ('requested', 'confirmed', 'checked_in', 'in_room'));
END;
