// Finding 7 (check-then-write races), issue 9: each race is fired at the real server at once and
// must be decided exactly once.
import { and, eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { authAttempts } from "../../../db/schema";
import { Client, DEMO_PASSWORD, ROLE_EMAILS, closedAfterEach } from "../../helpers/test-app";

const apps = closedAfterEach(afterEach);
const app = apps.app;

describe("7. one decision per race", () => {
  it("counts a burst of parallel password guesses before checking them: at most 5 are checked", async () => {
    const a = await app();
    const guesses = await Promise.all(Array.from({ length: 20 }, (_, i) => new Client(a.url).post("/login", { email: ROLE_EMAILS.front_desk, password: `wrong-password-${i}` })));
    const checked = guesses.filter((r) => r.status === 400).length;
    expect(checked).toBeLessThanOrEqual(5);
    expect(guesses.filter((r) => r.status === 429).length).toBe(20 - checked);
    const failures = await a.db.select().from(authAttempts).where(and(eq(authAttempts.accountKey, ROLE_EMAILS.front_desk), eq(authAttempts.success, false)));
    expect(failures.length).toBe(checked);
    // Even the right password now waits out the window.
    expect((await new Client(a.url).post("/login", { email: ROLE_EMAILS.front_desk, password: DEMO_PASSWORD })).status).toBe(429);
  });
  // TOTP codes, reset tokens, the waitlist cap and shift clashes race only when the database answers
  // in round trips; they are tested in round-trips.test.ts.
});
