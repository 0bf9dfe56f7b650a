/**
 * The PartyKit dev server's runtime (workerd) prints "Uncaught exception: … disconnected:
 * worker_do_not_log; Request failed due to internal error" with a stack of addresses whenever a
 * browser drops its WebSocket without a close frame (a tab or a laptop lid closed). Nothing failed:
 * the runtime tags the message itself as not for logging (cloudflare/workerd#1010). This drops
 * exactly those reports from the dev server's output — the error line, its repeats and their
 * stack lines — and passes everything else through unchanged.
 */
const NOISE = /disconnected: (remote\.)?worker_do_not_log/;
// eslint-disable-next-line no-control-regex
const plain = (line: string) => line.replace(/\x1b\[[0-9;]*m/g, "");

export function createDevLogFilter(write: (text: string) => void) {
  let pending = "";
  let inNoise = false;
  const line = (text: string) => {
    const bare = plain(text);
    if (NOISE.test(bare)) {
      inNoise = true;
      return;
    }
    if (inNoise && (bare.trim() === "" || /^\s*stack:/.test(bare))) return;
    inNoise = false;
    write(`${text}\n`);
  };
  return {
    push(chunk: string) {
      pending += chunk;
      let at: number;
      while ((at = pending.indexOf("\n")) >= 0) {
        line(pending.slice(0, at));
        pending = pending.slice(at + 1);
      }
    },
    end() {
      if (pending) line(pending);
      pending = "";
    },
  };
}
