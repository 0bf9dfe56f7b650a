import { and, eq, lt, or, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { z } from "zod";
import { deviceMutations, deviceSequences } from "../../db/schema";
import type { AppContext } from "../lib/context.server";
import { refusedWith } from "../lib/db-refusal";

/**
 * A tablet's offline outbox (ADR 029): every change carries the device it was made on, a number
 * one higher than the device's last change for this user, and an id made on the device. The
 * server applies each number once, in order: a duplicate gets the first answer back, a gap
 * stops the queue until the missing change arrives, and the same number with another id is
 * refused. Successful changes record their answer in the same batch as the change; refusals
 * (which write nothing) record theirs alone, so the queue moves on past them.
 */
export interface DeviceMutation {
  deviceId: string;
  userId: string;
  seq: number;
  mutationId: string;
}

/** Kept this long, far beyond any tablet left offline (the number survives in device_sequences). */
export const DEVICE_ANSWER_KEEP_MS = 30 * 24 * 60 * 60 * 1000;

const ID = /^[A-Za-z0-9-]{16,64}$/;
const fieldsSchema = z.object({
  deviceId: z.string({ message: "This change doesn't say which tablet made it." }).regex(ID, "This tablet's id could not be read."),
  seq: z.coerce.number({ message: "This change's number could not be read." }).int("This change's number could not be read.").min(1, "This change's number could not be read.").max(1_000_000_000, "This change's number could not be read."),
  mutationId: z.string({ message: "This change has no id." }).regex(ID, "This change's id could not be read."),
});

/** A tablet's id alone (a run of changes names it once). */
export function readDeviceId(value: unknown): { ok: true; deviceId: string } | { ok: false; message: string } {
  const parsed = fieldsSchema.shape.deviceId.safeParse(value ?? undefined);
  return parsed.success ? { ok: true, deviceId: parsed.data } : { ok: false, message: parsed.error.issues[0].message };
}

export function readDeviceMutation(form: FormData | URLSearchParams, userId: string): { ok: true; mutation: DeviceMutation } | { ok: false; message: string } {
  const parsed = fieldsSchema.safeParse({ deviceId: form.get("deviceId") ?? undefined, seq: form.get("seq") ?? undefined, mutationId: form.get("mutationId") ?? undefined });
  if (!parsed.success) return { ok: false, message: parsed.error.issues[0].message };
  return { ok: true, mutation: { ...parsed.data, userId } };
}

export type Standing =
  | { state: "next" }
  | { state: "kept"; status: number; answer: unknown }
  | { state: "gap"; expected: number }
  | { state: "mismatch" };

/** Where this change stands, in one round trip: the next to apply, answered before, early, or a forgery. */
export async function standingOf(ctx: Pick<AppContext, "db">, m: DeviceMutation): Promise<Standing> {
  const [[sequence], rows] = await ctx.db.batch([
    ctx.db.select({ lastSeq: deviceSequences.lastSeq }).from(deviceSequences).where(and(eq(deviceSequences.deviceId, m.deviceId), eq(deviceSequences.userId, m.userId))),
    ctx.db
      .select({ seq: deviceMutations.seq, deviceId: deviceMutations.deviceId, mutationId: deviceMutations.mutationId, status: deviceMutations.status, answer: deviceMutations.answer })
      .from(deviceMutations)
      .where(and(eq(deviceMutations.userId, m.userId), or(eq(deviceMutations.mutationId, m.mutationId), and(eq(deviceMutations.deviceId, m.deviceId), eq(deviceMutations.seq, m.seq))))),
  ]);
  const same = rows.find((r) => r.mutationId === m.mutationId);
  if (same) return same.deviceId === m.deviceId && same.seq === m.seq ? { state: "kept", status: same.status, answer: JSON.parse(same.answer) } : { state: "mismatch" };
  if (rows.length) return { state: "mismatch" };
  const last = sequence?.lastSeq ?? 0;
  if (m.seq === last + 1) return { state: "next" };
  // Below the last applied with no answer kept (forgotten after 30 days, or never this device's): not applied again.
  return m.seq > last + 1 ? { state: "gap", expected: last + 1 } : { state: "mismatch" };
}

/**
 * For a change written in more than one batch (signing saves, then signs): an earlier batch checks
 * the number is still the next without taking it, so a change out of order writes nothing at all.
 */
export function guardStatement(ctx: Pick<AppContext, "db">, m: DeviceMutation): BatchItem<"sqlite"> {
  return ctx.db.run(sql`insert into device_sequence_guards (device_id, user_id, seq) values (${m.deviceId}, ${m.userId}, ${m.seq})`);
}

/** The record of an applied change, for the change's own batch. */
export function recordStatement(ctx: Pick<AppContext, "db" | "clock">, m: DeviceMutation, status: number, answer: unknown): BatchItem<"sqlite"> {
  return ctx.db.insert(deviceMutations).values({ ...m, status, answer: JSON.stringify(answer), createdAt: ctx.clock.now() });
}

/** Records a change's answer on its own (a refusal, or a change that is idempotent by itself); false when another arrival took the number first. */
export async function recordAnswer(ctx: Pick<AppContext, "db" | "clock">, m: DeviceMutation, status: number, answer: unknown): Promise<boolean> {
  try {
    await recordStatement(ctx, m, status, answer);
    return true;
  } catch (error) {
    if (lostTheRace(error)) return false;
    throw error;
  }
}

/** The database refused the record: this number was taken meanwhile (a second tab replaying the same queue). */
export function lostTheRace(error: unknown) {
  return refusedWith(error, "atrium_device_sequence") || refusedWith(error, "UNIQUE constraint failed: device_mutations");
}

/** The job forgets answers older than 30 days (the sequence numbers stay). */
export function purgeDeviceAnswers(ctx: Pick<AppContext, "db" | "clock">) {
  return ctx.db.delete(deviceMutations).where(lt(deviceMutations.createdAt, new Date(ctx.clock.now().getTime() - DEVICE_ANSWER_KEEP_MS))).returning({ seq: deviceMutations.seq });
}
