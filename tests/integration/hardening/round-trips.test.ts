// Finding 7 (check-then-write races), issue 9, against a database that answers in round trips
// (as Turso does): the embedded driver answers synchronously, so two requests rarely interleave
// between a check and its write here; over a network they do. Each decision must still be made once.
import { and, eq, like } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { checkSecondFactor } from "../../../app/auth/mfa.server";
import { completeWithToken } from "../../../app/auth/recovery.server";
import { issueToken } from "../../../app/auth/tokens.server";
import { generateTotp } from "../../../app/auth/totp.server";
import type { AppContext } from "../../../app/lib/context.server";
import { addShift } from "../../../app/settings/schedules.server";
import { joinWaitlist } from "../../../app/waitlist/entries.server";
import { localDateOf } from "../../../app/scheduling/local-time";
import { locations, memberships, patients, services, shifts, users, waitlistEntries } from "../../../db/schema";
import { roundTripDb } from "../../helpers/round-trip-db";
import { ROLE_EMAILS, TEST_TOTP_SECRET, startTestApp, testContext, type TestApp } from "../../helpers/test-app";

let app: TestApp;
let remote: ReturnType<typeof roundTripDb>;
let ctx: AppContext;
beforeEach(async () => {
  app = await startTestApp();
  remote = roundTripDb(`file:${app.dbFile}`);
  ctx = testContext(app, remote.db);
});
afterEach(async () => {
  remote.close();
  await app.close();
});

const userByEmail = async (email: string) => (await app.db.select().from(users).where(eq(users.email, email)))[0];

describe("7. decided once over round trips", () => {
  it("accepts one TOTP code once when two checks of it overlap", async () => {
    const owner = await userByEmail(ROLE_EMAILS.owner);
    const [m] = await app.db.select().from(memberships).where(eq(memberships.userId, owner.id));
    const actor = { id: owner.id, organizationId: m.organizationId, role: "owner" };
    const code = generateTotp(TEST_TOTP_SECRET, Date.now());
    const results = await Promise.all([checkSecondFactor(ctx, actor, code, "auth.mfa_verify"), checkSecondFactor(ctx, actor, code, "auth.mfa_verify")]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
  });

  it("uses a reset token once when two submissions overlap", async () => {
    const provider = await userByEmail(ROLE_EMAILS.provider);
    const token = await issueToken(ctx, provider.id, "password_reset");
    const raw = typeof token === "string" ? token : token.raw;
    const results = await Promise.all([completeWithToken(ctx, "password_reset", raw, "first-new-password-1"), completeWithToken(ctx, "password_reset", raw, "second-new-password-2")]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
  });

  it("keeps the waitlist cap of 5 when nine joins overlap", async () => {
    const portal = await userByEmail(ROLE_EMAILS.patient);
    const [patient] = await app.db.select().from(patients).where(eq(patients.userId, portal.id));
    const [location] = await app.db.select().from(locations).where(eq(locations.organizationId, patient.organizationId)).limit(1);
    const [service] = await app.db.select().from(services).where(and(eq(services.organizationId, patient.organizationId), like(services.name, "Neurotoxin%")));
    const today = localDateOf(location.timeZone, Date.now());
    const actor = { id: portal.id, role: "patient" as const, organizationId: patient.organizationId };
    const results = await Promise.all(Array.from({ length: 9 }, () => joinWaitlist(ctx, actor, patient.id, { locationId: location.id, serviceId: service.id, providerId: "any", fromDate: today, toDate: today })));
    expect(results.filter((r) => r.ok)).toHaveLength(5);
    expect(await app.db.$count(waitlistEntries, and(eq(waitlistEntries.patientId, patient.id), eq(waitlistEntries.status, "waiting")))).toBe(5);
  });

  it("adds one of two clashing shifts saved at once", async () => {
    const manager = await userByEmail(ROLE_EMAILS.manager);
    const provider = await userByEmail(ROLE_EMAILS.provider);
    const [m] = await app.db.select().from(memberships).where(eq(memberships.userId, manager.id));
    const [location] = await app.db.select().from(locations).where(eq(locations.organizationId, m.organizationId)).limit(1);
    const session = { id: "s", user: { id: manager.id, organizationId: m.organizationId, role: "manager" } } as never;
    const shift = (startMinute: number, endMinute: number) => addShift(ctx, session, provider.id, { locationId: location.id, weekday: 6, start: "", end: "", startMinute, endMinute, effectiveFrom: "2027-01-02" } as never, Promise.resolve({ id: provider.id }));
    const before = await app.db.$count(shifts, eq(shifts.userId, provider.id));
    const results = await Promise.all([shift(540, 780), shift(660, 900)]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(await app.db.$count(shifts, eq(shifts.userId, provider.id))).toBe(before + 1);
  });
});
