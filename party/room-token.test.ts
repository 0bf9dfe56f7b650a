import { describe, expect, it } from "vitest";
import { signRoomToken, verifyRoomToken } from "./room-token";

describe("room tokens", () => {
  const claims = { userId: "u", organizationId: "o", locationId: "loc-a", role: "front_desk", exp: 2_000_000 };
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
});
