-- The calendar's "Forms missing" and "Deposit paid" flags (issue 10): the day grid's markup is
-- cached per schedule version, so what decides them moves the version too. Consents are signed
-- a few times a day per clinic; deposits change state once or twice per visit.
CREATE TRIGGER patient_consents_schedule_insert AFTER INSERT ON patient_consents
BEGIN
  UPDATE locations SET schedule_version = schedule_version + 1 WHERE organization_id = NEW.organization_id;
END;--> statement-breakpoint
CREATE TRIGGER service_consents_schedule_insert AFTER INSERT ON service_consents
BEGIN
  UPDATE locations SET schedule_version = schedule_version + 1 WHERE organization_id = NEW.organization_id;
END;--> statement-breakpoint
CREATE TRIGGER service_consents_schedule_delete AFTER DELETE ON service_consents
BEGIN
  UPDATE locations SET schedule_version = schedule_version + 1 WHERE organization_id = OLD.organization_id;
END;--> statement-breakpoint
CREATE TRIGGER consent_templates_schedule_update AFTER UPDATE OF valid_months ON consent_templates
BEGIN
  UPDATE locations SET schedule_version = schedule_version + 1 WHERE organization_id = NEW.organization_id;
END;--> statement-breakpoint
CREATE TRIGGER deposits_schedule_insert AFTER INSERT ON deposits
BEGIN
  UPDATE locations SET schedule_version = schedule_version + 1 WHERE id = (SELECT location_id FROM appointments WHERE id = NEW.appointment_id);
END;--> statement-breakpoint
CREATE TRIGGER deposits_schedule_update AFTER UPDATE OF status ON deposits WHEN OLD.status IS NOT NEW.status
BEGIN
  UPDATE locations SET schedule_version = schedule_version + 1 WHERE id = (SELECT location_id FROM appointments WHERE id = NEW.appointment_id);
END;
