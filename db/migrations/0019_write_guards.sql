-- Optimistic exclusive writes (issue 13, docs/decisions/020-round-trips.md): a check-then-write
-- reads its facts first, then commits its writes in one batch that begins with a guard per
-- location it looked at: "this location's schedule_version is still the one read before the
-- checks". schedule_version moves (migration 0009's triggers) with every appointment, shift and
-- exception change, so an unchanged version means nothing the checks read has changed; a changed
-- one aborts the batch (nothing written) and the write is tried again from its reads.
-- A view, so a guard never stores a row: its INSTEAD OF trigger only checks.
CREATE VIEW `write_guards` AS SELECT NULL AS `location_id`, NULL AS `expected_version` WHERE 0;
--> statement-breakpoint
CREATE TRIGGER `write_guards_check`
INSTEAD OF INSERT ON `write_guards`
BEGIN
  SELECT RAISE(ABORT, 'atrium_stale_read')
  WHERE (SELECT `schedule_version` FROM `locations` WHERE `id` = NEW.`location_id`) IS NOT NEW.`expected_version`;
END;
