// No half-written records on either runtime (issue 13): a booking's write is one batch (Node) or one
// transaction (Worker), so when its last statement fails nothing of it stays behind.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deskBookingFields } from "../helpers/booking-fixtures";
import { Client, ROLE_EMAILS, startTestApp, type TestApp } from "../helpers/test-app";
import { startWorker } from "../helpers/worker-runtime";
import { TEMPLATE_DB } from "../setup/paths";

const FAIL = "CREATE TRIGGER fail_booking_audit BEFORE INSERT ON audit_events WHEN NEW.action = 'appointment.create' BEGIN SELECT RAISE(ABORT, 'injected failure'); END";
const COUNTS = "select (select count(*) from appointments) || '/' || (select count(*) from appointment_events)";

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
    const { fields } = await deskBookingFields("14:00");
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

  it("leaves nothing behind (one transaction, rolled back)", async () => {
    const cookie = await worker.signIn(ROLE_EMAILS.front_desk);
    const { fields } = await deskBookingFields("14:00");
    await worker.sql(FAIL);
    const before = await worker.sql(COUNTS);
    expect((await worker.post("/schedule/new", fields, cookie)).status).toBe(500);
    expect(await worker.sql(COUNTS)).toBe(before);
    await worker.sql("DROP TRIGGER fail_booking_audit");
    expect((await worker.post("/schedule/new", fields, cookie)).status).toBe(302);
  }, 60_000);
});
