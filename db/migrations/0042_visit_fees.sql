-- Late-cancellation and no-show fees (issue 12, ADR 038): amounts per the clinic's policy (0: none,
-- the default), charged to the card on file once the desk confirms, on the visit's own invoice.
ALTER TABLE `organizations` ADD `late_cancel_fee_cents` integer DEFAULT 0 NOT NULL CHECK (`late_cancel_fee_cents` >= 0);--> statement-breakpoint
ALTER TABLE `organizations` ADD `no_show_fee_cents` integer DEFAULT 0 NOT NULL CHECK (`no_show_fee_cents` >= 0);--> statement-breakpoint
-- Whether a cancellation came inside the location's cut-off (the history's reason is the staff's words).
ALTER TABLE `appointments` ADD `cancelled_late` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
UPDATE `appointments` SET `cancelled_late` = 1 WHERE `status` = 'cancelled' AND EXISTS (SELECT 1 FROM `appointment_events` e WHERE e.`appointment_id` = `appointments`.`id` AND e.`to_status` = 'cancelled' AND e.`reason` = 'late_cancellation');
