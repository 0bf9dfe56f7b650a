import { describe, expect, it } from "vitest";
import { createDevLogFilter } from "./dev-log-filter";

const noise = [
  "\x1b[31m✘ \x1b[41;31m[\x1b[41;97mERROR\x1b[41;31m]\x1b[0m \x1b[1mworkerd/server/server.c++:3360: error: Uncaught exception: kj/compat/http.c++:4052: disconnected: worker_do_not_log; Request failed due to internal error\x1b[0m",
  "",
  "  stack: /x/workerd@5843a70 /x/workerd@406f280",
  "  workerd/server/server.c++:3360: error: Uncaught exception: kj/compat/http.c++:4052: disconnected: worker_do_not_log; Request failed due to internal error",
  "  stack: /x/workerd@5843a70",
  "",
  "",
].join("\n");

describe("the PartyKit dev server's output", () => {
  it("drops the runtime's 'disconnected' reports for dropped WebSockets, in any chunking, and keeps the rest", () => {
    const text = `Ready on http://127.0.0.1:1999\n${noise}\n[pk:inf] a real message\nError: something we must see\n  stack: of a real error\n`;
    for (const size of [1, 7, 64, text.length]) {
      let out = "";
      const filter = createDevLogFilter((t) => (out += t));
      for (let i = 0; i < text.length; i += size) filter.push(text.slice(i, i + size));
      filter.end();
      expect(out).toBe("Ready on http://127.0.0.1:1999\n[pk:inf] a real message\nError: something we must see\n  stack: of a real error\n");
    }
  });
});
