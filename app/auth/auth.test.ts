import { describe, expect, it } from "vitest";
import { can, homePathFor, mfaRequiredFor, PERMISSIONS, ROLE_PERMISSIONS } from "./permissions";
import { hashPassword, needsRehash, PASSWORD_ITERATIONS, verifyPassword } from "./password.server";
import { SafeRedirectSchema } from "./schemas";
import { THROTTLE, throttleDecision } from "./throttle.server";
import { generateTotp, newRecoveryCodes, newTotpSecret, normalizeRecoveryCode, verifyTotp } from "./totp.server";

describe("password hashing", () => {
  it("round-trips, records its parameters, and refuses wrong or malformed input", async () => {
    const hash = await hashPassword("correct horse battery");
    expect(hash).toMatch(new RegExp(`^pbkdf2-sha256\\$${PASSWORD_ITERATIONS}\\$[A-Za-z0-9+/=]+\\$[A-Za-z0-9+/=]+$`));
    expect(await verifyPassword("correct horse battery", hash)).toBe(true);
    expect(await verifyPassword("correct horse batterz", hash)).toBe(false);
    expect(await verifyPassword("x", "md5$abc")).toBe(false);
    expect(await verifyPassword("x", null)).toBe(false);
    expect(await hashPassword("same")).not.toBe(await hashPassword("same"));
  });

  it("asks for a rehash when the stored cost is below today's", async () => {
    expect(needsRehash(await hashPassword("pw", 1000))).toBe(true);
    expect(needsRehash(await hashPassword("pw"))).toBe(false);
  });
});

describe("throttling rule", () => {
  const now = 1_000_000_000;
  it("allows until the per-account limit, then says how long to wait", () => {
    expect(throttleDecision({ account: THROTTLE.perAccount - 1, ip: 0, oldestAccount: now, oldestIp: null }, now)).toEqual({ allowed: true });
    expect(throttleDecision({ account: THROTTLE.perAccount, ip: 0, oldestAccount: now - 60_000, oldestIp: null }, now)).toEqual({ allowed: false, retryAfterMs: THROTTLE.windowMs - 60_000 });
  });
  it("limits an address across accounts", () => {
    expect(throttleDecision({ account: 0, ip: THROTTLE.perIp, oldestAccount: null, oldestIp: now }, now)).toEqual({ allowed: false, retryAfterMs: THROTTLE.windowMs });
  });
});

describe("TOTP", () => {
  const secret = newTotpSecret();
  const t = Date.UTC(2026, 10, 21, 12, 0, 0);
  it("accepts the current and adjacent steps once each", () => {
    const step = verifyTotp(secret, generateTotp(secret, t), t, null);
    expect(step).toBe(Math.floor(t / 30_000));
    expect(verifyTotp(secret, generateTotp(secret, t), t, step)).toBeNull();
    expect(verifyTotp(secret, generateTotp(secret, t + 30_000), t, step)).toBe(step! + 1);
    expect(verifyTotp(secret, generateTotp(secret, t - 120_000), t, null)).toBeNull();
    expect(verifyTotp(secret, "12345", t, null)).toBeNull();
  });
  it("makes ten distinct recovery codes and normalizes typing", async () => {
    const { codes, hashes } = await newRecoveryCodes();
    expect(new Set(codes).size).toBe(10);
    expect(new Set(hashes).size).toBe(10);
    expect(normalizeRecoveryCode(" AbCdE-12345 ")).toBe("abcde12345");
  });
});

describe("permissions", () => {
  it("denies by default and grants per role", () => {
    expect(can("patient", "read:patient:organization")).toBe(false);
    expect(can("patient", "read:patient:own")).toBe(true);
    expect(can("front_desk", "manage:staff:organization")).toBe(false);
    expect(can("manager", "update:organization:organization")).toBe(false);
    expect(can("owner", "update:organization:organization")).toBe(true);
    for (const perms of Object.values(ROLE_PERMISSIONS)) for (const p of perms) expect(PERMISSIONS).toContain(p);
  });
  it("sends each role home and requires MFA of owners and managers", () => {
    expect(homePathFor("provider")).toBe("/provider");
    expect(homePathFor("patient")).toBe("/portal");
    expect(mfaRequiredFor("owner", false)).toBe(true);
    expect(mfaRequiredFor("front_desk", false)).toBe(false);
    expect(mfaRequiredFor("front_desk", true)).toBe(true);
    expect(mfaRequiredFor("patient", true)).toBe(false);
  });
  it("keeps redirects on this site", () => {
    expect(SafeRedirectSchema.parse("/patients?q=a")).toBe("/patients?q=a");
    expect(SafeRedirectSchema.parse("//evil.example")).toBeUndefined();
    expect(SafeRedirectSchema.parse("https://evil.example")).toBeUndefined();
    expect(SafeRedirectSchema.parse("/\\evil.example")).toBeUndefined();
  });
});
