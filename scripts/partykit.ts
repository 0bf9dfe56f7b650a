import { spawn, type ChildProcess } from "node:child_process";

/**
 * Runs the PartyKit dev server (workerd) for the live board on loopback, with the shared secret,
 * and resolves once it answers. Used by `npm start`, the end-to-end server and the benchmarks.
 */
export async function startPartyKit({ port, secret, timeoutMs = 60_000, quiet = false }: { port: number; secret: string; timeoutMs?: number; quiet?: boolean }) {
  // Its own process group, so stopping it takes npx, partykit, esbuild and workerd together.
  // Quiet for harnesses: an inherited stderr would hold their output pipe open.
  const child: ChildProcess = spawn("npx", ["partykit", "dev", "--port", String(port), "--no-hotkeys", "--disable-request-cf-fetch", "--var", `PARTY_SECRET=${secret}`], {
    stdio: ["ignore", "ignore", quiet ? "ignore" : "inherit"],
    detached: true,
  });
  const url = `http://127.0.0.1:${port}`;
  const stop = () => {
    try {
      if (child.pid) process.kill(-child.pid, "SIGTERM");
    } catch {
      // already gone
    }
  };
  // Never outlive whoever started it, however it ends.
  process.once("exit", stop);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      // Any answer (401 without the secret) means the room server is up.
      const res = await fetch(`${url}/parties/main/ready-check`, { method: "POST" });
      if (res.status > 0) break;
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      stop();
      throw new Error(`PartyKit did not start on port ${port}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { url, stop };
}
