import { copyFileSync, rmSync } from "node:fs";
import { and, eq, gte, lt } from "drizzle-orm";
import WebSocket from "ws";
import { loadBoardSnapshot } from "../app/board/board.server";
import type { BoardSnapshot } from "../app/board/snapshot";
import { localDay } from "../app/scheduling/local-time";
import { openDatabase } from "../db/client";
import { appointments, locations, memberships, organizations, users } from "../db/schema";
import { LARGE_APPOINTMENT_RANGE } from "../db/seed/generate";
import { Client } from "../tests/helpers/test-app";
import { startPartyKit } from "../scripts/partykit";
import { benchServer } from "./http";
import { percentile } from "./large-data";

/**
 * board-snapshot: ms to build the flagship's snapshot (20 rooms, 20 providers, 60 checked-in
 * patients) from the database, as the app does after every change.
 */
export async function benchBoardSnapshot(largeDb: string, iterations = 200) {
  const file = `data/bench/board-${process.pid}.db`;
  copyFileSync(largeDb, file);
  const { client, db } = openDatabase(`file:${file}`);
  try {
    const [location] = await db.select().from(locations).where(eq(locations.name, "Lumen Midtown"));
    const [org] = await db.select().from(organizations).where(eq(organizations.id, location.organizationId));
    const [desk] = await db.select({ id: users.id }).from(users).innerJoin(memberships, eq(memberships.userId, users.id)).where(and(eq(memberships.organizationId, org.id), eq(memberships.role, "front_desk")));
    // A busy moment in the seeded fortnight: 60 of the day's patients checked in and waiting.
    const date = LARGE_APPOINTMENT_RANGE.fromDate.replace(/-01$/, "-02");
    const day = localDay(location.timeZone, date);
    const today = await db.select({ id: appointments.id }).from(appointments).where(and(eq(appointments.locationId, location.id), gte(appointments.startsAt, new Date(day.start)), lt(appointments.startsAt, new Date(day.end)))).limit(60);
    for (const a of today) await db.update(appointments).set({ status: "checked_in" }).where(eq(appointments.id, a.id));
    const ctx = { db, clock: { now: () => new Date(day.start + 12 * 3_600_000) } };
    const actor = { id: desk.id, role: "front_desk" as const, organizationId: org.id };
    let snapshot: BoardSnapshot | null = null;
    for (let i = 0; i < 30; i++) snapshot = await loadBoardSnapshot(ctx, actor, location);
    const samples: number[] = [];
    for (let i = 0; i < iterations; i++) {
      const t = performance.now();
      snapshot = await loadBoardSnapshot(ctx, actor, location);
      samples.push(performance.now() - t);
    }
    samples.sort((a, b) => a - b);
    return { name: "board-snapshot", unit: "ms", value: percentile(samples, 0.5), p95: percentile(samples, 0.95), rooms: snapshot!.rooms.length, providers: snapshot!.providers.length, waiting: snapshot!.waiting.length, iterations, target: { value: 5 } };
  } finally {
    client.close();
    for (const s of ["", "-wal", "-shm"]) rmSync(file + s, { force: true });
  }
}

/**
 * board-latency: 100 clients connected to the flagship's room over loopback; a provider's status
 * change through the Remix action, until every client has applied the patch. The floor is the
 * same room broadcasting a snapshot change posted to it directly (no app), measured in the same run.
 */
export async function benchBoardLatency(largeDb: string, clients = 100, rounds = 40) {
  const secret = "bench-party-secret";
  const party = await startPartyKit({ port: 3399, secret, quiet: true });
  const server = await benchServer(largeDb, { party: { url: party.url, secret } });
  const sockets: WebSocket[] = [];
  try {
    const provider = new Client(server.app.url);
    await provider.signIn("provider@lumen.example");
    await (await server.desk.get("/board")).arrayBuffer(); // the room has the current floor
    const { token } = (await (await server.desk.get("/board/token")).json()) as { token: string };
    const { locationId } = JSON.parse(Buffer.from(token.split(".")[0], "base64url").toString()) as { locationId: string };
    let latest: BoardSnapshot | null = null;
    const seen: number[] = Array(clients).fill(0);
    let waiters: (() => void)[] = [];
    const check = () => {
      for (const w of waiters) w();
    };
    await Promise.all(
      Array.from({ length: clients }, (_, i) => new Promise<void>((resolve, reject) => {
        const ws = new WebSocket(`${party.url.replace(/^http/, "ws")}/parties/main/${locationId}?token=${token}`);
        sockets.push(ws);
        ws.on("message", (data) => {
          const message = JSON.parse(String(data)) as { type: string; version: number; snapshot?: BoardSnapshot };
          if (message.type === "snapshot") {
            latest ??= message.snapshot!;
            resolve();
          }
          seen[i] = message.version;
          check();
        });
        ws.on("error", reject);
      })),
    );
    const allAt = (version: number) => new Promise<void>((resolve) => {
      const done = () => {
        if (seen.every((v) => v >= version)) {
          waiters = waiters.filter((w) => w !== done);
          resolve();
        }
      };
      waiters.push(done);
      done();
    });
    const measure = async (change: (round: number) => Promise<void>) => {
      const samples: number[] = [];
      for (let round = 0; round < rounds; round++) {
        const target = Math.max(...seen) + 1;
        const t = performance.now();
        await change(round);
        await allAt(target);
        samples.push(performance.now() - t);
      }
      return samples.sort((a, b) => a - b);
    };
    const viaApp = await measure(async (round) => {
      const res = await provider.post("/board", { intent: "my-status", state: round % 2 ? "available" : "on_break" });
      if (res.status !== 302) throw new Error(`status change answered ${res.status}`);
    });
    const base = latest!;
    const floor = await measure(async (round) => {
      const snapshot = { ...base, generatedAt: Date.now(), providers: base.providers.map((p, i) => (i === 0 ? { ...p, state: round % 2 ? ("available" as const) : ("documenting" as const) } : p)) };
      const res = await fetch(`${party.url}/parties/main/${locationId}`, { method: "POST", headers: { authorization: `Bearer ${secret}` }, body: JSON.stringify({ type: "snapshot", snapshot }) });
      if (res.status !== 204) throw new Error(`room answered ${res.status}`);
    });
    return { name: "board-latency", unit: "ms", p50: percentile(viaApp, 0.5), p95: percentile(viaApp, 0.95), floorP50: percentile(floor, 0.5), floorP95: percentile(floor, 0.95), clients, rounds, target: { p95: 25, ratioToFloor: 3 } };
  } finally {
    for (const ws of sockets) ws.terminate();
    await server.close();
    party.stop();
  }
}
