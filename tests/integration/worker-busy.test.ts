// A write that keeps finding the database busy (issue 13): retried with backoff inside a bounded
// budget, then answered 503 with nothing written — on the built Worker, against the Hrana endpoint.
import { and, eq, like } from "drizzle-orm";
import { Temporal } from "temporal-polyfill";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../db/client";
import { patients, services, users } from "../../db/schema";
import { DEMO_PASSWORD, ROLE_EMAILS } from "../helpers/test-app";
import { startWorker } from "../helpers/worker-runtime";
import { TEMPLATE_DB } from "../setup/paths";

let worker: Awaited<ReturnType<typeof startWorker>>;
beforeAll(async () => {
  worker = await startWorker(TEMPLATE_DB, { busyTimeoutMs: 40 });
}, 60_000);
afterAll(async () => {
  await worker?.close();
});

const send = (path: string, init: RequestInit = {}) => worker.mf.dispatchFetch(`${worker.origin}${path}`, { redirect: "manual", ...init } as never) as unknown as Promise<Response>;
async function pipeline(baton: string | null, ...sql: string[]) {
  const res = await worker.hrana.fetch(new Request("http://turso.test/v2/pipeline", { method: "POST", body: JSON.stringify({ baton, requests: sql.map((s) => ({ type: "execute", stmt: { sql: s } })) }) }));
  return (await res.json()) as { baton: string; results: { type: string; response?: { result: { rows: { value: string }[][] } } }[] };
}

describe("a busy database on the Worker", () => {
  it("answers a booking 503 with nothing written while another writer holds the lock, and books once it is free", async () => {
    const { client, db } = openDatabase(`file:${TEMPLATE_DB}`);
    const [provider] = await db.select().from(users).where(eq(users.email, ROLE_EMAILS.provider));
    const [portal] = await db.select().from(users).where(eq(users.email, ROLE_EMAILS.patient));
    const [patient] = await db.select().from(patients).where(eq(patients.userId, portal.id));
    const [service] = await db.select().from(services).where(and(eq(services.organizationId, patient.organizationId), like(services.name, "Neurotoxin%")));
    client.close();
    const login = await send("/login", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", origin: worker.origin }, body: new URLSearchParams({ email: ROLE_EMAILS.front_desk, password: DEMO_PASSWORD }).toString() });
    const cookie = login.headers.get("set-cookie")!.split(";")[0];
    let day = Temporal.Now.plainDateISO("America/New_York").add({ days: 6 });
    while (day.dayOfWeek > 5) day = day.add({ days: 1 });
    const book = () => send("/schedule/new", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", origin: worker.origin, cookie }, body: new URLSearchParams({ patientId: patient.id, serviceId: service.id, providerId: provider.id, date: day.toString(), time: "10:00", occurrences: "1", repeatWeeks: "1" }).toString() });
    const appointmentsNow = async () => Number((await pipeline(null, "select count(*) from appointments")).results[0].response!.result.rows[0][0].value);
    const before = await appointmentsNow();

    // Someone else's long write holds the lock.
    const holder = await pipeline(null, "begin immediate", "update organizations set name = name");
    const busy = await book();
    expect(busy.status).toBe(503);
    expect(busy.headers.get("retry-after")).toBe("2");
    expect(await appointmentsNow()).toBe(before);

    await pipeline(holder.baton, "commit");
    const booked = await book();
    expect(booked.status).toBe(302);
    expect(await appointmentsNow()).toBe(before + 1);
  }, 60_000);
});
