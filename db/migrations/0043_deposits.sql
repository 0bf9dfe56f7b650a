-- Deposits at online booking (issue 12, ADR 039): a service can ask for a deposit, or a card on
-- file, when a patient books it online. The deposit is paid through Stripe before the visit and
-- applied to the visit's invoice at checkout (or against its late-cancellation / no-show fee) as a
-- card payment on the same PaymentIntent, so a refund of it goes back to that card.
ALTER TABLE `services` ADD `card_required` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE TABLE `deposits` (
	`id` text PRIMARY KEY NOT NULL,
	`organization_id` text NOT NULL REFERENCES `organizations`(`id`),
	`appointment_id` text NOT NULL REFERENCES `appointments`(`id`),
	`patient_id` text NOT NULL REFERENCES `patients`(`id`),
	`amount_cents` integer NOT NULL CHECK (`amount_cents` >= 50),
	-- pending: the patient's pay page is open; paid: Stripe took it; applied: on the visit's
	-- invoice; refunded: given back before the visit (cancelled in time); failed: not taken.
	`status` text DEFAULT 'pending' NOT NULL CHECK (`status` IN ('pending', 'paid', 'applied', 'refunded', 'failed')),
	`stripe_intent` text,
	`card_brand` text,
	`card_last4` text,
	`created_at` integer NOT NULL,
	`paid_at` integer,
	`applied_invoice_id` text REFERENCES `invoices`(`id`),
	`refunded_at` integer
);--> statement-breakpoint
-- One deposit in play per visit: a second pay page picks up the first.
CREATE UNIQUE INDEX `deposits_live_idx` ON `deposits` (`appointment_id`) WHERE `status` IN ('pending', 'paid', 'applied');--> statement-breakpoint
CREATE INDEX `deposits_intent_idx` ON `deposits` (`stripe_intent`);
