import { afterEach, beforeEach, vi } from "vitest";

// A console.error during a test is a bug we would otherwise miss: fail the test.
let spy: ReturnType<typeof vi.spyOn>;
beforeEach(() => {
  spy = vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => {
    throw new Error(`console.error was called: ${args.map(String).join(" ")}`);
  });
});
afterEach(() => spy.mockRestore());
