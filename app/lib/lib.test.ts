import { describe, expect, it } from "vitest";
import { parseEnv } from "./env.server";
import { createLogger } from "./logger.server";
import { handleServerError } from "./handle-error.server";
import { DrizzleQueryError } from "drizzle-orm/errors";
import { UNSAFE_ErrorResponseImpl as ErrorResponseImpl } from "@remix-run/router";
import { applySecurityHeaders, isCrossOriginMutation } from "./security.server";
import { assertSafeKey } from "./storage.server";
import { staffChangeRefusal } from "../settings/staff.server";
import { isValidTimeZone } from "../settings/schemas";
import { formatLocalNow } from "../locations/locations.server";

const req = (method: string, headers: Record<string, string> = {}) => new Request("http://clinic.test/x", { method, headers });

describe("cross-origin check", () => {
  const ORIGIN = "https://atrium.example";
  it("lets reads through and checks mutations' Origin, then Referer, against the configured origin and the served host", () => {
    expect(isCrossOriginMutation(req("GET"), ORIGIN)).toBe(false);
    expect(isCrossOriginMutation(req("POST", { origin: "http://clinic.test" }), ORIGIN)).toBe(false);
    expect(isCrossOriginMutation(req("POST", { origin: ORIGIN }), ORIGIN)).toBe(false);
    expect(isCrossOriginMutation(req("POST", { origin: "http://evil.test" }), ORIGIN)).toBe(true);
    expect(isCrossOriginMutation(req("POST", { referer: "http://clinic.test/form" }), ORIGIN)).toBe(false);
    expect(isCrossOriginMutation(req("POST", { referer: "http://evil.test/form" }), ORIGIN)).toBe(true);
    expect(isCrossOriginMutation(req("POST"), ORIGIN)).toBe(true);
  });
  it("sets HSTS only when the origin is HTTPS", () => {
    const dev = new Headers();
    applySecurityHeaders(dev, { https: false });
    expect(dev.has("strict-transport-security")).toBe(false);
    const prod = new Headers();
    applySecurityHeaders(prod, { https: true, nonce: "abc" });
    expect(prod.get("strict-transport-security")).toContain("max-age");
    expect(prod.get("content-security-policy")).toContain("'nonce-abc'");
  });
});

describe("environment", () => {
  it("explains what is wrong", () => {
    expect(() => parseEnv({ DATABASE_URL: "file:x.db", SESSION_SECRET: "short" })).toThrow(/SESSION_SECRET must be at least 32 characters/);
    expect(parseEnv({ DATABASE_URL: "file:x.db", SESSION_SECRET: "x".repeat(32) }).NODE_ENV).toBe("development");
  });
});

describe("logger", () => {
  it("masks sensitive fields whatever the caller passes", () => {
    const lines: string[] = [];
    const log = createLogger("info", (l) => lines.push(l));
    log.info("x", { email: "a@b.c", password: "p", patientName: "Ann", path: "/today" });
    log.debug("hidden");
    expect(lines).toHaveLength(1);
    const parsed = JSON.parse(lines[0]);
    expect(parsed).toMatchObject({ email: "[redacted]", password: "[redacted]", patientName: "[redacted]", path: "/today" });
  });
});

describe("errors in logs", () => {
  const failedQuery = () => new DrizzleQueryError('insert into "patients" ("first_name", "email") values (?, ?)', ["Jordan", "jordan@example.com"], Object.assign(new Error("SQLITE_CONSTRAINT_UNIQUE: UNIQUE constraint failed: patients.email"), { code: "SQLITE_CONSTRAINT" }));

  it("keep a failed query's SQL and reason, never its values, whether the error or its message is logged", () => {
    const lines: string[] = [];
    const log = createLogger("info", (l) => lines.push(l));
    log.error("a", { error: failedQuery() });
    log.error("b", { error: failedQuery().message });
    for (const line of lines) {
      expect(line).toContain('insert into \\"patients\\"');
      expect(line).not.toContain("Jordan");
      expect(line).not.toContain("jordan@example.com");
    }
    expect(lines[0]).toContain("UNIQUE constraint failed: patients.email");
  });

  it("go through the structured logger from Remix's handleError; refusals and abandoned requests are not errors", () => {
    const lines: string[] = [];
    const context = { logger: createLogger("info", (l) => lines.push(l)) };
    const request = new Request("http://x/patients/new", { method: "POST" });
    handleServerError(new ErrorResponseImpl(405, "Method Not Allowed", null), { request, context });
    const aborted = new AbortController();
    aborted.abort();
    handleServerError(new Error("gone"), { request: new Request("http://x/", { signal: aborted.signal }), context });
    expect(lines).toHaveLength(0);
    handleServerError(failedQuery(), { request, context });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0])).toMatchObject({ level: "error", msg: "unhandled_error", method: "POST", path: "/patients/new" });
    expect(lines[0]).not.toContain("Jordan");
  });
});

describe("small rules", () => {
  it("refuses unsafe storage keys", () => {
    expect(() => assertSafeKey("../etc/passwd")).toThrow();
    expect(() => assertSafeKey("/abs")).toThrow();
    expect(() => assertSafeKey("org/photo-1.jpg")).not.toThrow();
  });
  it("protects owners and self-edits", () => {
    expect(staffChangeRefusal({ id: "m", role: "manager" }, { id: "o", role: "owner" })).toMatch(/Only an owner/);
    expect(staffChangeRefusal({ id: "m", role: "manager" }, { id: "p", role: "provider" }, "owner")).toMatch(/Only an owner/);
    expect(staffChangeRefusal({ id: "m", role: "manager" }, { id: "m", role: "manager" })).toMatch(/your own/);
    expect(staffChangeRefusal({ id: "o", role: "owner" }, { id: "p", role: "provider" }, "owner")).toBeNull();
  });
  it("knows real time zones and formats in the location's zone, not the machine's", () => {
    expect(isValidTimeZone("America/New_York")).toBe(true);
    expect(isValidTimeZone("Mars/Olympus")).toBe(false);
    const instant = new Date("2026-03-08T07:30:00Z"); // spring-forward morning in the US
    expect(formatLocalNow(instant, "America/New_York")).toContain("3:30 AM EDT");
    expect(formatLocalNow(instant, "America/Los_Angeles")).toContain("11:30 PM PST");
  });
});
