-- Tips reported per provider per pay period (issue 12): how the clinic pays, and a day any one
-- period starts on (weekly and biweekly count from it).
ALTER TABLE `organizations` ADD `pay_period` text DEFAULT 'biweekly' NOT NULL CHECK (`pay_period` IN ('weekly', 'biweekly', 'semimonthly', 'monthly'));--> statement-breakpoint
ALTER TABLE `organizations` ADD `pay_period_anchor` text DEFAULT '2026-01-05' NOT NULL;
