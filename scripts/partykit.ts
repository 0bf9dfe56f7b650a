import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { createDevLogFilter } from "../party/dev-log-filter";

/**
 * Runs the PartyKit dev server (workerd) for the live board on loopback, with the shared secret,
 * and resolves once it answers. Used by `npm start`, the end-to-end server and the benchmarks.
 */
export async function startPartyKit({ port, secret, timeoutMs = 60_000, quiet = false }: { port: number; secret: string; timeoutMs?: number; quiet?: boolean }) {
  const url = `http://127.0.0.1:${port}`;
  // Something already answering there (a PartyKit an earlier run left behind, another app) would
  // be taken for ours, with another secret: say so instead of quietly using it.
  if (await answers(url)) throw new Error(`Port ${port} is already in use (a PartyKit left running by an earlier start?). Stop it, or set PARTY_PORT to another port.`);
  // Its own process group, so stopping it takes npx, partykit, esbuild and workerd together; and a
  // guard (scripts/partykit-guard.mjs) that ends the group when this process is gone, even killed.
  // Quiet for harnesses: an inherited stderr would hold their output pipe open.
  const guard = fileURLToPath(new URL("./partykit-guard.mjs", import.meta.url));
  const child: ChildProcess = spawn(process.execPath, [guard, String(process.pid), "npx", "partykit", "dev", "--port", String(port), "--no-hotkeys", "--disable-request-cf-fetch", "--var", `PARTY_SECRET=${secret}`], {
    stdio: ["ignore", "ignore", quiet ? "ignore" : "pipe"],
    detached: true,
  });
  // Its errors reach the terminal, without the runtime's reports of browsers that went away.
  if (child.stderr) {
    const filter = createDevLogFilter((text) => process.stderr.write(text));
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (chunk: string) => filter.push(chunk));
    child.stderr.on("end", () => filter.end());
    // Not a reason for this process to stay alive.
    (child.stderr as unknown as { unref?: () => void }).unref?.();
  }
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
    if (await answers(url)) break;
    if (child.exitCode !== null || Date.now() > deadline) {
      stop();
      throw new Error(`PartyKit did not start on port ${port}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { url, stop };
}

/** Whether the room server answers on `url` (any answer: 401 without the secret). */
async function answers(url: string) {
  try {
    const res = await fetch(`${url}/parties/main/ready-check`, { method: "POST", signal: AbortSignal.timeout(2000) });
    return res.status > 0;
  } catch {
    return false;
  }
}
