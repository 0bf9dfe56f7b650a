import { spawn } from "node:child_process";
import { copyFileSync, rmSync } from "node:fs";
import { createInterface } from "node:readline";
import { and, eq, gte, lt } from "drizzle-orm";
import WebSocket from "ws";
import { loadBoardSnapshot } from "../app/board/board.server";
import { applyPatch, type BoardPatch, type BoardSnapshot } from "../app/board/snapshot";
import { localDay } from "../app/scheduling/local-time";
import { openDatabase } from "../db/client";
import { appointments, locations, memberships, organizations, users } from "../db/schema";
import { LARGE_APPOINTMENT_RANGE } from "../db/seed/generate";
import { Client } from "../tests/helpers/test-app";
import { startPartyKit } from "../scripts/partykit";
import { roomSecrets } from "../party/room-token";
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
 * change through the Remix action, until every client has applied the patch. The floor is a bare
 * WebSocket broadcast (the `ws` package in its own process) of the same patch text to 100 other
 * clients. Also reported: the same kind of change posted to the PartyKit room directly, without
 * the app, so the difference can be split between the room and the app. The three alternate round
 * by round, so all meet the same machine (this VM's speed drifts over seconds); 200 rounds each,
 * after 10 of warm-up, so the p95 is not one or two unlucky samples.
 */
export async function benchBoardLatency(largeDb: string, clients = 100, rounds = 200, warmup = 10) {
  const secret = "bench-party-secret";
  const party = await startPartyKit({ port: 3399, secret, quiet: true });
  const publishKey = (await roomSecrets(secret)).publish;
  const server = await benchServer(largeDb, { party: { url: party.url, secret } });
  const bare = await bareBroadcastServer();
  const sockets: WebSocket[] = [];
  try {
    const provider = new Client(server.app.url);
    await provider.signIn("provider@lumen.example");
    await (await server.desk.get("/board")).arrayBuffer(); // the room has the current floor
    const { token } = (await (await server.desk.get("/board/token")).json()) as { token: string };
    const { locationId } = JSON.parse(Buffer.from(token.split(".")[0], "base64url").toString()) as { locationId: string };
    // Client 0 keeps the board as the clients see it, so the floor's change is one provider's state on top of it.
    let current: BoardSnapshot | null = null;
    let lastPatch: string | null = null;
    let lastPatchFromApp = false;
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
          const message = JSON.parse(String(data)) as { type: "snapshot"; version: number; snapshot: BoardSnapshot } | { type: "patch"; version: number; patch: BoardPatch };
          if (i === 0) current = message.type === "snapshot" ? message.snapshot : applyPatch(current!, message.patch);
          if (i === 0 && message.type === "patch" && lastPatchFromApp) lastPatch = String(data);
          if (message.type === "snapshot") resolve();
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
    const timed = async (change: () => Promise<void>) => {
      const target = Math.max(...seen) + 1;
      const t = performance.now();
      await change();
      await allAt(target);
      return performance.now() - t;
    };
    let round = 0;
    const viaApp = () =>
      timed(async () => {
        lastPatchFromApp = true;
        const res = await provider.post("/board", { intent: "my-status", state: round % 2 ? "available" : "on_break" });
        if (res.status !== 302) throw new Error(`status change answered ${res.status}`);
      });
    const direct = () =>
      timed(async () => {
        lastPatchFromApp = false;
        const board = current!;
        const snapshot = { ...board, generatedAt: Date.now(), providers: board.providers.map((p, i) => (i === board.providers.length - 1 ? { ...p, state: p.state === "documenting" ? ("available" as const) : ("documenting" as const), since: Date.now() } : p)) };
        const res = await fetch(`${party.url}/parties/main/${locationId}`, { method: "POST", headers: { authorization: `Bearer ${publishKey}` }, body: JSON.stringify({ type: "snapshot", snapshot }) });
        if (res.status !== 204) throw new Error(`room answered ${res.status}`);
      });
    // The bare floor: the same patch text the clients just received, broadcast by a plain WebSocket server.
    const bareSeen: number[] = Array(clients).fill(0);
    let bareWaiters: (() => void)[] = [];
    await Promise.all(
      Array.from({ length: clients }, (_, i) => new Promise<void>((resolve, reject) => {
        const ws = new WebSocket(`ws://127.0.0.1:${bare.port}`, { perMessageDeflate: false });
        sockets.push(ws);
        ws.on("open", () => resolve());
        ws.on("message", (data) => {
          bareSeen[i] = (JSON.parse(String(data)) as { version: number }).version;
          for (const w of bareWaiters) w();
        });
        ws.on("error", reject);
      })),
    );
    let bareVersion = 0;
    const bareBroadcast = async () => {
      const message = JSON.parse(lastPatch!) as { version: number };
      message.version = ++bareVersion;
      const payload = JSON.stringify(message);
      const t = performance.now();
      await new Promise<void>((resolve, reject) => {
        const done = () => {
          if (bareSeen.every((v) => v >= bareVersion)) {
            bareWaiters = bareWaiters.filter((w) => w !== done);
            resolve();
          }
        };
        bareWaiters.push(done);
        fetch(`http://127.0.0.1:${bare.port}/`, { method: "POST", body: payload }).then((res) => res.status !== 204 && reject(new Error(`bare server answered ${res.status}`)), reject);
      });
      return performance.now() - t;
    };
    const app: number[] = [];
    const room: number[] = [];
    const floor: number[] = [];
    for (; round < warmup + rounds; round++) {
      const a = await viaApp();
      const f = await bareBroadcast();
      const r = await direct();
      if (round >= warmup) {
        app.push(a);
        floor.push(f);
        room.push(r);
      }
    }
    for (const list of [app, room, floor]) list.sort((a, b) => a - b);
    const [p50, p95, floorP50, floorP95] = [percentile(app, 0.5), percentile(app, 0.95), percentile(floor, 0.5), percentile(floor, 0.95)];
    return {
      name: "board-latency",
      unit: "ms",
      p50,
      p95,
      floorP50,
      floorP95,
      ratioP50: round2(p50 / floorP50),
      ratioP95: round2(p95 / floorP95),
      // The same change posted to the PartyKit room directly (no app): where the time between the two goes.
      roomP50: percentile(room, 0.5),
      roomP95: percentile(room, 0.95),
      payloadBytes: Buffer.byteLength(lastPatch!),
      clients,
      rounds,
      target: { p95: 25, ratioToFloor: 3 },
    };
  } finally {
    for (const ws of sockets) ws.terminate();
    bare.stop();
    await server.close();
    party.stop();
  }
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/** bench/bare-broadcast.ts in its own process. */
async function bareBroadcastServer() {
  const child = spawn(process.execPath, ["--import", "tsx", "bench/bare-broadcast.ts"], { stdio: ["ignore", "pipe", "inherit"] });
  const port = await new Promise<number>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`bare broadcast server exited with ${code}`)));
    createInterface({ input: child.stdout! }).once("line", (line) => resolve(Number(line)));
  });
  return { port, stop: () => child.kill("SIGTERM") };
}
