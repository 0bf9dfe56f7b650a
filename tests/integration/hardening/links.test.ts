// Security findings 1 (secrets in the outbox), 2 (poisoned links), 3 (open redirect) and the
// reset part of 9 (uniform answers): issue 9.
import { request as httpRequest } from "node:http";
import { eq, like } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { sha256Hex } from "../../../app/auth/password.server";
import { accountTokens, messages, users } from "../../../db/schema";
import { fakeSmtp } from "../../helpers/fake-smtp";
import { Client, DEMO_PASSWORD, ROLE_EMAILS, closedAfterEach } from "../../helpers/test-app";

const apps = closedAfterEach(afterEach);
const app = apps.app;
async function smtpServer() {
  const s = await fakeSmtp();
  apps.add(() => s.close());
  return s;
}

/** A raw HTTP POST that names whatever Host it likes (fetch would not). */
function rawPost(baseUrl: string, path: string, headers: Record<string, string>, body: string) {
  const url = new URL(path, baseUrl);
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, path: url.pathname, method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", "content-length": String(Buffer.byteLength(body)), ...headers } }, (res) => {
      let text = "";
      res.on("data", (c) => (text += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

const settle = () => new Promise((r) => setTimeout(r, 300));

describe("1. one-time links never reach anyone but their owner", () => {
  it("keeps reset and invitation links out of message bodies, the outbox page and the database (local delivery)", async () => {
    const a = await app();
    const manager = new Client(a.url);
    await manager.signIn(ROLE_EMAILS.manager);
    // The attack: a manager resets the medical director's password and reads the link.
    expect((await new Client(a.url).post("/forgot-password", { email: ROLE_EMAILS.medical_director })).status).toBe(200);
    const page = await (await manager.get("/settings/staff")).text();
    const locationId = /name="locationIds"[^>]*value="([\w-]+)"/.exec(page)![1];
    expect((await manager.post("/settings/staff", { name: "Casey Nguyen", email: "casey@lumen.example", role: "front_desk", locationIds: [locationId] })).status).toBe(200);
    await settle();
    const rows = await a.db.select().from(messages).where(like(messages.kind, "%"));
    const account = rows.filter((m) => m.kind === "password_reset" || m.kind === "invite");
    expect(account).toHaveLength(2);
    for (const m of rows) expect(m.body).not.toMatch(/token=/);
    // Without an email provider they wait; no token exists for anyone to find.
    expect(account.map((m) => m.status)).toEqual(["held", "held"]);
    expect(await a.db.select().from(accountTokens)).toHaveLength(0);
    const outbox = await (await manager.get("/outbox")).text();
    expect(outbox).toContain("Waiting for an email provider");
    expect(outbox).toContain("one-time link or code — sent only to the recipient");
    expect(outbox).not.toMatch(/token=/);
  });

  it("sends the link only to the recipient's inbox over SMTP, storing just its hash", async () => {
    const smtp = await smtpServer();
    const a = await app({ EMAIL_PROVIDER: "smtp", SMTP_URL: smtp.url, APP_ORIGIN: "https://clinic.example.com" });
    expect((await new Client(a.url).post("/forgot-password", { email: ROLE_EMAILS.medical_director })).status).toBe(200);
    const mail = await smtp.waitFor(ROLE_EMAILS.medical_director);
    const token = /https:\/\/clinic\.example\.com\/reset-password\?token=([\w-]+)/.exec(mail.text)![1];
    await settle();
    const [row] = await a.db.select().from(messages).where(eq(messages.toAddress, ROLE_EMAILS.medical_director));
    expect(row.status).toBe("sent");
    expect(row.body).not.toContain(token);
    const tokens = await a.db.select().from(accountTokens);
    expect(tokens.map((t) => t.tokenHash)).toEqual([await sha256Hex(token)]);
    const owner = new Client(a.url);
    await owner.signIn(ROLE_EMAILS.owner);
    expect(await (await owner.get("/outbox")).text()).not.toContain(token);
  });

  it("withdraws a link whose email was refused, and mints a new one for the retry", async () => {
    const smtp = await smtpServer();
    smtp.state.reject = { code: 451, message: "try later" };
    const a = await app({ EMAIL_PROVIDER: "smtp", SMTP_URL: smtp.url });
    await new Client(a.url).post("/forgot-password", { email: ROLE_EMAILS.provider });
    await settle();
    const [row] = await a.db.select().from(messages).where(eq(messages.toAddress, ROLE_EMAILS.provider));
    expect(row.status).toBe("pending");
    expect(row.lastError).toBe("smtp_451");
    expect(await a.db.select().from(accountTokens)).toHaveLength(0);
  });
});

describe("2. links come from the configured origin; other hosts are refused", () => {
  it("refuses a request naming a host it does not serve, before anything is written", async () => {
    const a = await app();
    const res = await rawPost(a.url, "/forgot-password", { host: "evil.test", origin: "http://evil.test" }, `email=${encodeURIComponent(ROLE_EMAILS.provider)}`);
    expect(res.status).toBe(421);
    expect(await a.db.select().from(messages)).toHaveLength(0);
    const page = await rawPost(a.url, "/login", { host: "evil.test:80" }, "");
    expect(page.status).toBe(421);
  });

  it("builds the link from APP_ORIGIN even when the request came in by a served loopback name", async () => {
    const smtp = await smtpServer();
    const a = await app({ EMAIL_PROVIDER: "smtp", SMTP_URL: smtp.url, APP_ORIGIN: "https://clinic.example.com" });
    const port = new URL(a.url).port;
    const res = await rawPost(a.url, "/forgot-password", { host: `localhost:${port}`, origin: `http://localhost:${port}` }, `email=${encodeURIComponent(ROLE_EMAILS.provider)}`);
    expect(res.status).toBe(200);
    const mail = await smtp.waitFor(ROLE_EMAILS.provider);
    expect(mail.text).toMatch(/https:\/\/clinic\.example\.com\/reset-password\?token=/);
    expect(mail.text).not.toContain("localhost");
  });

  it("refuses a POST whose Origin is another site, even one that names a served host in Host", async () => {
    const a = await app({ APP_ORIGIN: "https://clinic.example.com" });
    const port = new URL(a.url).port;
    const res = await rawPost(a.url, "/forgot-password", { host: `127.0.0.1:${port}`, origin: "http://evil.test" }, "email=x%40y.z");
    expect(res.status).toBe(403);
  });
});

describe("3. redirects stay on our origin", () => {
  it("ignores a redirect target that a browser would read as another site", async () => {
    const a = await app();
    for (const target of ["/\t/evil.example", "/%09/evil.example", "/\\evil.example", "//evil.example", "https://evil.example"]) {
      const res = await new Client(a.url).post("/login", { email: ROLE_EMAILS.front_desk, password: DEMO_PASSWORD, redirectTo: target });
      expect(res.status).toBe(302);
      expect(res.headers.get("location")).toBe("/today");
    }
  });
});

describe("9. a reset request answers the same whether or not the account exists", () => {
  it("does the same work on the request for a real and an unknown address, and decides only when sending", async () => {
    const smtp = await smtpServer();
    const a = await app({ EMAIL_PROVIDER: "smtp", SMTP_URL: smtp.url });
    const strip = (html: string) => html.replace(/nonce="[^"]+"/g, "").replace(/"nonce":"[^"]+"/g, "");
    // Uncompressed, so the answer's headers leave as soon as it is written (a compressed answer's
    // headers wait for its first compressed bytes, after the work deferred past it has begun).
    const real = await new Client(a.url).post("/forgot-password", { email: ROLE_EMAILS.provider }, { headers: { "accept-encoding": "identity" } });
    const tokensRightAfter = (await a.db.select().from(accountTokens)).length;
    const unknown = await new Client(a.url).post("/forgot-password", { email: "nobody@lumen.example" }, { headers: { "accept-encoding": "identity" } });
    expect(real.status).toBe(unknown.status);
    expect(strip(await real.text())).toBe(strip(await unknown.text()));
    // Each request only queued one message; nothing was looked up or minted before answering.
    expect(tokensRightAfter).toBe(0);
    await smtp.waitFor(ROLE_EMAILS.provider);
    await settle();
    const queued = await a.db.select({ to: messages.toAddress, status: messages.status, org: messages.organizationId }).from(messages);
    expect(queued).toEqual(expect.arrayContaining([
      { to: ROLE_EMAILS.provider, status: "sent", org: null },
      { to: "nobody@lumen.example", status: "skipped", org: null },
    ]));
    expect(smtp.received.filter((m) => m.to.includes("nobody@lumen.example"))).toHaveLength(0);
    expect((await a.db.select().from(users).where(eq(users.email, "nobody@lumen.example")))).toHaveLength(0);
  });
});
