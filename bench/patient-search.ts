import { spawn } from "node:child_process";
import { readdirSync } from "node:fs";
import { createInterface } from "node:readline";
import { and, eq } from "drizzle-orm";
import type { AuthedSession } from "../app/auth/guards.server";
import { searchPatients } from "../app/patients/patients.server";
import { openDatabase, tuneLocalDatabase } from "../db/client";
import { memberships, organizations, users } from "../db/schema";
import { testContext } from "../tests/helpers/test-app";
import { benchServer } from "./http";
import { percentile } from "./large-data";

/** What the desk types: surname and first-name starts, full names, runs of phone digits, and nothing that matches. */
export const SEARCHES = {
  name: ["smi", "johnson", "garc", "mar", "lee", "kel", "wil", "jordan av", "o'con", "ann"],
  phone: ["555", "0142", "212", "7734", "5550", "(312) 55", "8675309", "404-1"],
  none: ["zzqxv", "qwertyuiop", "xqz", "zzz@nowhere.example", "zebra quokka"],
};

async function searchTimes(dbFile: string) {
  // Tuned as the server's connection is (the page cache size matters at this scale).
  const { client, db } = openDatabase(`file:${dbFile}`);
  await tuneLocalDatabase(client, `file:${dbFile}`);
  const [desk] = await db
    .select({ id: users.id, name: users.name, organizationId: memberships.organizationId, role: memberships.role })
    .from(users)
    .innerJoin(memberships, eq(memberships.userId, users.id))
    .innerJoin(organizations, and(eq(organizations.id, memberships.organizationId), eq(organizations.slug, "lumen")))
    .where(eq(users.email, "frontdesk@lumen.example"));
  // The request's own work: the audit of the read is written after the answer (as on a GET).
  const ctx = { ...testContext({ dbFile, origin: "http://localhost" }, db), memo: new Map() };
  const session = { id: "bench", user: desk } as unknown as AuthedSession;
  const all = [...SEARCHES.name, ...SEARCHES.phone, ...SEARCHES.none];
  const matches: Record<string, number> = {};
  for (const q of all) matches[q] = (await searchPatients(ctx, session, q, 1)).total;
  return {
    matches,
    /** One round: every search once, its time in ms. */
    async round() {
      const out: number[] = [];
      for (const q of all) {
        const t = performance.now();
        await searchPatients(ctx, session, q, 1);
        out.push(performance.now() - t);
      }
      return out;
    },
    close: () => client.close(),
  };
}

/** The storm's clients in a child process; `stop` ends it and gives the server times it saw. */
async function startStorm(input: { url: string; cookie: string; pages: string[]; clients: number }) {
  const child = spawn(process.execPath, ["--import", "tsx", "bench/search-storm.ts"], { stdio: ["pipe", "pipe", "inherit"] });
  const lines = createInterface({ input: child.stdout });
  const next = () => new Promise<string>((resolve) => lines.once("line", resolve));
  child.stdin.write(`${JSON.stringify(input)}\n`);
  await next();
  return {
    async stop() {
      const times = next();
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      const parsed = JSON.parse(await times) as number[];
      await exited;
      return parsed;
    },
  };
}

/** /healthz and a static file, one after another, for `ms`; their latencies as the client sees them. */
async function probe(url: string, asset: string, ms: number) {
  const health: number[] = [];
  const statics: number[] = [];
  const until = performance.now() + ms;
  while (performance.now() < until) {
    let t = performance.now();
    await (await fetch(`${url}/healthz`)).arrayBuffer();
    health.push(performance.now() - t);
    t = performance.now();
    await (await fetch(`${url}${asset}`)).arrayBuffer();
    statics.push(performance.now() - t);
  }
  return { health, statics };
}

/**
 * Patient search at ten times the large data set (500,000 patients), against the large set in
 * the same run, rounds interleaved. Headline `p95`: one search (the request's database work and
 * the list it returns) over name, phone-digit and no-match queries at xl. `stallP95`: /healthz
 * while 10 clients search the xl server continuously, next to `idleP95` with no searches and
 * `floorStallP95` while the same 10 clients load a page that searches nothing (the floor: what
 * rendering pages on one event loop costs a probe, search or not). The storm runs in a process
 * of its own; the server is the production Node server.
 */
export async function benchPatientSearch(largeDb: string, xlDb: string, rounds = 30) {
  const large = await searchTimes(largeDb);
  const xl = await searchTimes(xlDb);
  for (let i = 0; i < 3; i++) await Promise.all([large.round(), xl.round()]);
  const largeSamples: number[] = [];
  const xlSamples: number[] = [];
  for (let r = 0; r < rounds; r++) {
    largeSamples.push(...(await large.round()));
    xlSamples.push(...(await xl.round()));
  }
  const xlMatches = xl.matches;
  large.close();
  xl.close();
  largeSamples.sort((a, b) => a - b);
  xlSamples.sort((a, b) => a - b);

  // The storm: 10 clients, each searching continuously through the real pages of the xl server.
  const server = await benchServer(xlDb);
  const asset = `/assets/${readdirSync("build/node/client/assets").find((f) => f.endsWith(".js"))}`;
  const pages: string[] = [];
  for (const q of [...SEARCHES.name, ...SEARCHES.phone, ...SEARCHES.none]) pages.push((await server.desk.post("/patients", { q })).headers.get("location")!);
  const pageTimes: number[] = [];
  const cookie = [...server.desk.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  const idle = { health: [] as number[], statics: [] as number[] };
  const busy = { health: [] as number[], statics: [] as number[] };
  // The floor: the same storm on a page that searches nothing (the account page, about as heavy
  // to render), so what page rendering costs on one event loop is told apart from search.
  const floor = { health: [] as number[], statics: [] as number[] };
  try {
    await probe(server.app.url, asset, 500);
    for (let round = 0; round < 4; round++) {
      const quiet = await probe(server.app.url, asset, 1_500);
      idle.health.push(...quiet.health);
      idle.statics.push(...quiet.statics);
      const storm = await startStorm({ url: server.app.url, cookie, pages, clients: 10 });
      await new Promise((r) => setTimeout(r, 200));
      const loud = await probe(server.app.url, asset, 1_500);
      pageTimes.push(...(await storm.stop()));
      busy.health.push(...loud.health);
      busy.statics.push(...loud.statics);
      const plain = await startStorm({ url: server.app.url, cookie, pages: ["/account"], clients: 10 });
      await new Promise((r) => setTimeout(r, 200));
      const other = await probe(server.app.url, asset, 1_500);
      await plain.stop();
      floor.health.push(...other.health);
      floor.statics.push(...other.statics);
    }
  } finally {
    await server.close();
  }
  const searches = pageTimes.length;
  for (const list of [idle.health, idle.statics, busy.health, busy.statics, floor.health, floor.statics, pageTimes]) list.sort((a, b) => a - b);
  const idleP95 = percentile(idle.health, 0.95);
  const stallP95 = percentile(busy.health, 0.95);
  return {
    name: "patient-search",
    unit: "ms",
    p95: percentile(xlSamples, 0.95),
    p50: percentile(xlSamples, 0.5),
    largeP95: percentile(largeSamples, 0.95),
    stallP95,
    idleP95,
    stallRatio: Number((stallP95 / idleP95).toFixed(2)),
    floorStallP95: percentile(floor.health, 0.95),
    staticP95: percentile(busy.statics, 0.95),
    floorStaticP95: percentile(floor.statics, 0.95),
    staticIdleP95: percentile(idle.statics, 0.95),
    pageServerP95: percentile(pageTimes, 0.95),
    searchesDuringStorm: searches,
    patients: 500_000,
    xlMatches,
    target: { p95: 10, stallP95: `< 2 × idleP95 (${(2 * idleP95).toFixed(3)})` },
  };
}
