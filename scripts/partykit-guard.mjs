/* global process, setInterval, setTimeout */
// Runs a command (the PartyKit dev server) for as long as the process that started it lives.
// `node scripts/partykit-guard.mjs <parent pid> <command> [args…]`. Started as the leader of its
// own process group, with the command in that group: when the parent is gone — stopped, crashed
// or killed with SIGKILL, which gives it no chance to clean up — the whole group is ended, so no
// PartyKit is left running for the next start to stumble on.
import { spawn } from "node:child_process";

const [parentPid, command, ...args] = process.argv.slice(2);
const child = spawn(command, args, { stdio: "inherit" });
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));

function endGroup() {
  try {
    process.kill(-process.pid, "SIGTERM");
  } catch {
    child.kill("SIGTERM");
  }
  setTimeout(() => process.exit(0), 2000).unref();
}

setInterval(() => {
  try {
    process.kill(Number(parentPid), 0);
  } catch {
    endGroup();
  }
}, 250);
