// No half-written records on either runtime (issue 13): a booking's write is one batch (Node) or one
// transaction (Worker), so when its last statement fails nothing of it stays behind.
import { and, eq, like } from "drizzle-orm";
import { Temporal } from "temporal-polyfill";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../db/client";
import { patients, services, users } from "../../db/schema";
import { Client, DEMO_PASSWORD, ROLE_EMAILS, startTestApp, type TestApp } from "../helpers/test-app";
import { startWorker } from "../helpers/worker-runtime";
import { TEMPLATE_DB } from "../setup/paths";

const FAIL = "CREATE TRIGGER fail_booking_audit BEFORE INSERT ON audit_events WHEN NEW.action = 'appointment.create' BEGIN SELECT RAISE(ABORT, 'injected failure'); END";
const COUNTS = "select (select count(*) from appointments) || '/' || (select count(*) from appointment_events)";

async function bookingFields() {
  const { client, db } = openDatabase(`file:${TEMPLATE_DB}`);
  const [provider] = await db.select().from(users).where(eq(users.email, ROLE_EMAILS.provider));
  const [portal] = await db.select().from(users).where(eq(users.email, ROLE_EMAILS.patient));
  const [patient] = await db.select().from(patients).where(eq(patients.userId, portal.id));
  const [service] = await db.select().from(services).where(and(eq(services.organizationId, patient.organizationId), like(services.name, "Neurotoxin%")));
  client.close();
  let day = Temporal.Now.plainDateISO("America/New_York").add({ days: 5 });
  while (day.dayOfWeek > 5) day = day.add({ days: 1 });
  return { patientId: patient.id, serviceId: service.id, providerId: provider.id, date: day.toString(), time: "14:00", occurrences: "1", repeatWeeks: "1" };
}

describe("a booking whose last statement fails", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  it("leaves nothing behind on Node (one batch)", async () => {
    const desk = new Client(app.url);
    await desk.signIn(ROLE_EMAILS.front_desk);
    const fields = await bookingFields();
    await app.client.execute(FAIL);
    const before = (await app.client.execute(COUNTS)).rows[0][0];
    expect((await desk.post("/schedule/new", fields)).status).toBe(500);
    expect((await app.client.execute(COUNTS)).rows[0][0]).toBe(before);
    await app.client.execute("DROP TRIGGER fail_booking_audit");
    expect((await desk.post("/schedule/new", fields)).status).toBe(302);
  });
});

describe("a booking whose last statement fails on the Worker", () => {
  let worker: Awaited<ReturnType<typeof startWorker>>;
  beforeAll(async () => {
    worker = await startWorker(TEMPLATE_DB);
  }, 60_000);
  afterAll(async () => {
    await worker?.close();
  });
  const send = (path: string, init: RequestInit = {}) => worker.mf.dispatchFetch(`${worker.origin}${path}`, { redirect: "manual", ...init } as never) as unknown as Promise<Response>;
  const sql = async (statement: string) => {
    const res = await worker.hrana.fetch(new Request("http://turso.test/v2/pipeline", { method: "POST", body: JSON.stringify({ baton: null, requests: [{ type: "execute", stmt: { sql: statement } }, { type: "close" }] }) }));
    return ((await res.json()) as { results: { response?: { result: { rows: { value: string }[][] } } }[] }).results[0].response?.result.rows[0]?.[0]?.value;
  };

  it("leaves nothing behind (one transaction, rolled back)", async () => {
    const login = await send("/login", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", origin: worker.origin }, body: new URLSearchParams({ email: ROLE_EMAILS.front_desk, password: DEMO_PASSWORD }).toString() });
    const cookie = login.headers.get("set-cookie")!.split(";")[0];
    const book = async () => send("/schedule/new", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", origin: worker.origin, cookie }, body: new URLSearchParams(await bookingFields()).toString() });
    await sql(FAIL);
    const before = await sql(COUNTS);
    expect((await book()).status).toBe(500);
    expect(await sql(COUNTS)).toBe(before);
    await sql("DROP TRIGGER fail_booking_audit");
    expect((await book()).status).toBe(302);
  }, 60_000);
});
