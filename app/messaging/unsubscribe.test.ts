import { describe, expect, it } from "vitest";
import { unsubscribeToken, verifyUnsubscribeToken } from "./unsubscribe.server";

describe("unsubscribe tokens", () => {
  it("round-trips under the same secret and fails under another or when edited", async () => {
    const token = await unsubscribeToken("secret-one-secret-one-secret-one-1", "patient-123");
    expect(await verifyUnsubscribeToken("secret-one-secret-one-secret-one-1", token)).toBe("patient-123");
    expect(await verifyUnsubscribeToken("secret-two-secret-two-secret-two-2", token)).toBeNull();
    const [id, sig] = token.split(".");
    const otherId = (await unsubscribeToken("secret-one-secret-one-secret-one-1", "patient-999")).split(".")[0];
    expect(await verifyUnsubscribeToken("secret-one-secret-one-secret-one-1", `${otherId}.${sig}`)).toBeNull();
    expect(await verifyUnsubscribeToken("secret-one-secret-one-secret-one-1", `${id}.${"A".repeat(32)}`)).toBeNull();
    expect(await verifyUnsubscribeToken("secret-one-secret-one-secret-one-1", "garbage")).toBeNull();
  });
});
