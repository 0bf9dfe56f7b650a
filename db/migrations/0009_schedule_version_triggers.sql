-- Calendar views are cached per location and reused only while locations.schedule_version is
-- unchanged. These triggers bump it on every write that changes what a calendar shows, so no
-- write path (or other process) can forget to.

CREATE TRIGGER appointments_schedule_insert AFTER INSERT ON appointments
BEGIN
  UPDATE locations SET schedule_version = schedule_version + 1 WHERE id = NEW.location_id;
END;
--> statement-breakpoint
CREATE TRIGGER appointments_schedule_update AFTER UPDATE ON appointments
BEGIN
  UPDATE locations SET schedule_version = schedule_version + 1 WHERE id = OLD.location_id;
  UPDATE locations SET schedule_version = schedule_version + 1 WHERE id = NEW.location_id AND NEW.location_id <> OLD.location_id;
END;
--> statement-breakpoint
CREATE TRIGGER appointments_schedule_delete AFTER DELETE ON appointments
BEGIN
  UPDATE locations SET schedule_version = schedule_version + 1 WHERE id = OLD.location_id;
END;
--> statement-breakpoint
CREATE TRIGGER shifts_schedule_insert AFTER INSERT ON shifts
BEGIN
  UPDATE locations SET schedule_version = schedule_version + 1 WHERE organization_id = NEW.organization_id;
END;
--> statement-breakpoint
CREATE TRIGGER shifts_schedule_update AFTER UPDATE ON shifts
BEGIN
  UPDATE locations SET schedule_version = schedule_version + 1 WHERE organization_id = NEW.organization_id;
END;
--> statement-breakpoint
CREATE TRIGGER shifts_schedule_delete AFTER DELETE ON shifts
BEGIN
  UPDATE locations SET schedule_version = schedule_version + 1 WHERE organization_id = OLD.organization_id;
END;
--> statement-breakpoint
CREATE TRIGGER schedule_exceptions_schedule_insert AFTER INSERT ON schedule_exceptions
BEGIN
  UPDATE locations SET schedule_version = schedule_version + 1 WHERE organization_id = NEW.organization_id;
END;
--> statement-breakpoint
CREATE TRIGGER schedule_exceptions_schedule_update AFTER UPDATE ON schedule_exceptions
BEGIN
  UPDATE locations SET schedule_version = schedule_version + 1 WHERE organization_id = NEW.organization_id;
END;
--> statement-breakpoint
CREATE TRIGGER schedule_exceptions_schedule_delete AFTER DELETE ON schedule_exceptions
BEGIN
  UPDATE locations SET schedule_version = schedule_version + 1 WHERE organization_id = OLD.organization_id;
END;
--> statement-breakpoint
CREATE TRIGGER rooms_schedule_insert AFTER INSERT ON rooms
BEGIN
  UPDATE locations SET schedule_version = schedule_version + 1 WHERE organization_id = NEW.organization_id;
END;
--> statement-breakpoint
CREATE TRIGGER rooms_schedule_update AFTER UPDATE ON rooms
BEGIN
  UPDATE locations SET schedule_version = schedule_version + 1 WHERE organization_id = NEW.organization_id;
END;
--> statement-breakpoint
CREATE TRIGGER rooms_schedule_delete AFTER DELETE ON rooms
BEGIN
  UPDATE locations SET schedule_version = schedule_version + 1 WHERE organization_id = OLD.organization_id;
END;
--> statement-breakpoint
CREATE TRIGGER memberships_schedule_insert AFTER INSERT ON memberships
BEGIN
  UPDATE locations SET schedule_version = schedule_version + 1 WHERE organization_id = NEW.organization_id;
END;
--> statement-breakpoint
CREATE TRIGGER memberships_schedule_update AFTER UPDATE ON memberships
BEGIN
  UPDATE locations SET schedule_version = schedule_version + 1 WHERE organization_id = NEW.organization_id;
END;
--> statement-breakpoint
CREATE TRIGGER memberships_schedule_delete AFTER DELETE ON memberships
BEGIN
  UPDATE locations SET schedule_version = schedule_version + 1 WHERE organization_id = OLD.organization_id;
END;
--> statement-breakpoint
CREATE TRIGGER patients_schedule_update AFTER UPDATE ON patients
BEGIN
  UPDATE locations SET schedule_version = schedule_version + 1 WHERE organization_id = NEW.organization_id;
END;
--> statement-breakpoint
CREATE TRIGGER services_schedule_update AFTER UPDATE ON services
BEGIN
  UPDATE locations SET schedule_version = schedule_version + 1 WHERE organization_id = NEW.organization_id;
END;
--> statement-breakpoint
CREATE TRIGGER service_providers_schedule_insert AFTER INSERT ON service_providers
BEGIN
  UPDATE locations SET schedule_version = schedule_version + 1 WHERE organization_id = (SELECT organization_id FROM services WHERE id = NEW.service_id);
END;
--> statement-breakpoint
CREATE TRIGGER service_providers_schedule_update AFTER UPDATE ON service_providers
BEGIN
  UPDATE locations SET schedule_version = schedule_version + 1 WHERE organization_id = (SELECT organization_id FROM services WHERE id = NEW.service_id);
END;
--> statement-breakpoint
CREATE TRIGGER service_providers_schedule_delete AFTER DELETE ON service_providers
BEGIN
  UPDATE locations SET schedule_version = schedule_version + 1 WHERE organization_id = (SELECT organization_id FROM services WHERE id = OLD.service_id);
END;
--> statement-breakpoint
CREATE TRIGGER user_locations_schedule_insert AFTER INSERT ON user_locations
BEGIN
  UPDATE locations SET schedule_version = schedule_version + 1 WHERE organization_id = (SELECT organization_id FROM locations WHERE id = NEW.location_id);
END;
--> statement-breakpoint
CREATE TRIGGER user_locations_schedule_delete AFTER DELETE ON user_locations
BEGIN
  UPDATE locations SET schedule_version = schedule_version + 1 WHERE organization_id = (SELECT organization_id FROM locations WHERE id = OLD.location_id);
END;
--> statement-breakpoint
CREATE TRIGGER users_schedule_rename AFTER UPDATE OF name ON users
BEGIN
  UPDATE locations SET schedule_version = schedule_version + 1 WHERE organization_id IN (SELECT organization_id FROM memberships WHERE user_id = NEW.id);
END;
