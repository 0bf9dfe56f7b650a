import { describe, expect, it } from "vitest";
import { roomSecrets, sameSecret, signRoomToken, verifyRoomToken } from "./room-token";

describe("room tokens", () => {
  const claims = { userId: "u", sid: "tag", organizationId: "o", locationId: "loc-a", role: "front_desk", exp: 2_000_000 };
  it("verifies its own signature until expiry", async () => {
    const token = await signRoomToken(claims, "s3cret");
    expect(await verifyRoomToken(token, "s3cret", 1_000_000_000)).toEqual(claims);
    expect(await verifyRoomToken(token, "s3cret", 2_000_000_001)).toBeNull();
    expect(await verifyRoomToken(token, "other", 1_000_000_000)).toBeNull();
    const [payload, sig] = token.split(".");
    const forged = btoa(JSON.stringify({ ...claims, locationId: "loc-b" })).replace(/=+$/, "");
    expect(await verifyRoomToken(`${forged}.${sig}`, "s3cret", 1_000_000_000)).toBeNull();
    expect(await verifyRoomToken(payload, "s3cret", 1_000_000_000)).toBeNull();
  });
  it("derives separate publish and token secrets, and compares in constant time", async () => {
    const keys = await roomSecrets("shared");
    expect(keys.publish).not.toBe(keys.token);
    expect(keys.publish).not.toContain("shared");
    // A token signed with the publish key (which crosses the network) is not a valid token.
    expect(await verifyRoomToken(await signRoomToken(claims, keys.publish), keys.token, 1_000_000_000)).toBeNull();
    expect(sameSecret("abc", "abc")).toBe(true);
    expect(sameSecret("abc", "abd")).toBe(false);
    expect(sameSecret("abc", "ab")).toBe(false);
  });
});
