ALTER TABLE `messages` ADD `link_purpose` text;--> statement-breakpoint
ALTER TABLE `messages` ADD `link_user_id` text;--> statement-breakpoint
-- Links sent before this change were stored in message bodies that managers could read: remove
-- them, and retire every unused reset and invitation token (invitations can be sent again).
UPDATE `messages` SET `body` = 'This message carried a one-time link; it is no longer kept.' WHERE `kind` IN ('password_reset', 'invite');--> statement-breakpoint
UPDATE `account_tokens` SET `used_at` = CAST(unixepoch('subsec') * 1000 AS INTEGER) WHERE `used_at` IS NULL;
