// Ten clients searching continuously (bench/patient-search.ts), in a process of their own so
// the probe measuring the server never waits on the storm's own event loop. Reads the server's
// URL, a session cookie and the search pages as JSON on stdin; prints the server times on exit.
import { createInterface } from "node:readline";

const { url, cookie, pages, clients } = JSON.parse(await new Promise<string>((resolve) => createInterface({ input: process.stdin }).once("line", resolve))) as { url: string; cookie: string; pages: string[]; clients: number };
const serverTimes: number[] = [];
let running = true;
process.on("SIGTERM", () => (running = false));
process.stdout.write("ready\n");
await Promise.all(
  Array.from({ length: clients }, async (_, c) => {
    for (let i = c; running; i++) {
      const res = await fetch(new URL(pages[i % pages.length], url), { headers: { cookie } });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`search page answered ${res.status}`);
      serverTimes.push(Number(/app;dur=([\d.]+)/.exec(res.headers.get("server-timing") ?? "")?.[1] ?? NaN));
    }
  }),
);
// Then gone: stdin's reader and fetch's kept-alive sockets would otherwise hold the process open,
// idle but alive, into the benchmarks that follow.
process.stdout.write(`${JSON.stringify(serverTimes)}\n`, () => process.exit(0));
