import { describe, expect, it } from "vitest";
import { z } from "zod";
import "./plain-messages";
import { StatusChangeSchema } from "../scheduling/schemas";

describe("validation messages in plain words (issue 10)", () => {
  it("never shows zod's own wording", () => {
    const bad = StatusChangeSchema.safeParse({ appointmentId: "a", to: "teleported" });
    expect(bad.error?.issues[0].message).toBe("Choose one of the options offered.");
    const messages = [
      z.object({ a: z.string() }).safeParse({}),
      z.string().max(3).safeParse("abcdef"),
      z.coerce.number().int().safeParse("1.5"),
      z.string().email().safeParse("nope"),
      z.literal("on").safeParse("off"),
    ].flatMap((r) => r.error?.issues.map((i) => i.message) ?? []);
    expect(messages).toHaveLength(5);
    for (const m of messages) expect(m).not.toMatch(/Invalid|Expected|Required|received/);
  });
  it("keeps a schema's own message", () => {
    expect(z.string().min(3, "Say a bit more.").safeParse("a").error?.issues[0].message).toBe("Say a bit more.");
  });
});
