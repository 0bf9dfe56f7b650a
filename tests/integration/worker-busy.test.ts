// A write that keeps finding the database busy (issue 13): retried with backoff inside a bounded
// budget, then answered 503 with nothing written — on the built Worker, against the Hrana endpoint.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deskBookingFields } from "../helpers/booking-fixtures";
import { ROLE_EMAILS } from "../helpers/test-app";
import { startWorker } from "../helpers/worker-runtime";
import { TEMPLATE_DB } from "../setup/paths";

let worker: Awaited<ReturnType<typeof startWorker>>;
beforeAll(async () => {
  worker = await startWorker(TEMPLATE_DB, { busyTimeoutMs: 40 });
}, 60_000);
afterAll(async () => {
  await worker?.close();
});

async function pipeline(baton: string | null, ...sql: string[]) {
  const res = await worker.hrana.fetch(new Request("http://turso.test/v2/pipeline", { method: "POST", body: JSON.stringify({ baton, requests: sql.map((s) => ({ type: "execute", stmt: { sql: s } })) }) }));
  return (await res.json()) as { baton: string };
}

describe("a busy database on the Worker", () => {
  it("answers a booking 503 with nothing written while another writer holds the lock, and books once it is free", async () => {
    const cookie = await worker.signIn(ROLE_EMAILS.front_desk);
    const { fields } = await deskBookingFields("10:00", 6);
    const book = () => worker.post("/schedule/new", fields, cookie);
    const appointmentsNow = async () => Number(await worker.sql("select count(*) from appointments"));
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
