import { readdirSync } from "node:fs";
import { and, eq, isNotNull, isNull } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appointments, encounters, invoices, serviceConsents, locations, organizations, patients, services, userLocations, users } from "../../db/schema";
import { ROOT } from "../setup/paths";
import { Client, ORG_B, ROLE_EMAILS, startTestApp, type TestApp } from "../helpers/test-app";

/**
 * Every route module, and what each kind of visitor gets from it. A route added without a
 * row here fails the first test. `other` is the owner of a second organization; record
 * pages with ids from the first organization must be 404 for them.
 */
type Who = "anon" | keyof typeof ROLE_EMAILS | "other";
type Expect = Record<Who, number>;
const all = (status: number): Expect => ({ anon: status, owner: status, manager: status, front_desk: status, provider: status, medical_director: status, patient: status, other: status });
const signedIn = (status: number, overrides: Partial<Expect> = {}): Expect => ({ ...all(status), anon: 302, ...overrides });
const only = (roles: Who[], status = 200, otherwise = 403, extra: Partial<Expect> = {}): Expect =>
  ({ ...Object.fromEntries((Object.keys(all(0)) as Who[]).map((w) => [w, roles.includes(w) ? status : otherwise])), anon: 302, ...extra }) as Expect;

const STAFF: Who[] = ["owner", "manager", "front_desk", "provider", "medical_director", "other"];
/** Staff who change visits and the floor (the medical director reads the schedule only). */
const FLOOR: Who[] = ["owner", "manager", "front_desk", "provider", "other"];
const ADMINS: Who[] = ["owner", "manager", "other"];

interface RouteCase {
  path: string;
  get: Expect | "layout";
  /** For routes with an action: an empty or minimal POST, as each visitor. */
  post?: { body: Record<string, string>; expect: Expect };
}

const ROUTES: Record<string, RouteCase> = {
  "_index": { path: "/", get: signedIn(302) },
  "_app": { path: "", get: "layout" },
  "_app.today": { path: "/today", get: only(STAFF), post: { body: {}, expect: only(FLOOR, 400) } },
  "_app.provider": { path: "/provider", get: only(["provider"]) },
  "_app.patients._index": { path: "/patients", get: only(STAFF) },
  "_app.patients.new": { path: "/patients/new", get: only(["owner", "manager", "front_desk", "other"]), post: { body: {}, expect: only(["owner", "manager", "front_desk", "other"], 400) } },
  "_app.patients.$patientId": { path: "/patients/:patientA", get: only(STAFF, 200, 403, { other: 404 }), post: { body: { intent: "invite" }, expect: only(["owner", "manager", "front_desk"], 200, 403, { other: 404 }) } },
  // A change to another organization's record is refused by its form's checks (400) or not found (404); it never says which exists.
  "_app.patients.$patientId._index": { path: "/patients/:patientA", get: only(STAFF, 200, 403, { other: 404 }) },
  "_app.patients.$patientId.notes": { path: "/patients/:patientA/notes", get: only(STAFF, 200, 403, { other: 404 }), post: { body: { intent: "add" }, expect: only(STAFF, 400, 403, { other: 400 }) } },
  "_app.patients.$patientId.details": { path: "/patients/:patientA/details", get: only(STAFF, 200, 403, { other: 404 }), post: { body: { intent: "details" }, expect: only(["owner", "manager", "front_desk", "provider"], 400, 403, { other: 400 }) } },
  "_app.patients.$patientId.messages": { path: "/patients/:patientA/messages", get: only(STAFF, 200, 403, { other: 404 }), post: { body: {}, expect: only(["owner", "manager", "front_desk", "provider"], 400, 403, { other: 400 }) } },
  // The clinical tab: charts, consents, exams and photos (never the desk or a manager).
  "_app.patients.$patientId.charts": { path: "/patients/:patientA/charts", get: only(["owner", "provider", "medical_director"], 200, 403, { other: 404 }) },
  "_app.patients.$patientId.invoices": { path: "/patients/:patientA/invoices", get: only(["owner", "manager", "front_desk"], 200, 403, { other: 404 }), post: { body: { intent: "nothing" }, expect: only(["owner", "manager", "front_desk"], 400, 403, { other: 400 }) } },
  "_app.checkout_.tips": { path: "/checkout/tips", get: only(["owner", "manager", "front_desk"], 200, 403, { other: 200 }) },
  "_app.gift-cards._index": { path: "/gift-cards", get: only(["owner", "manager", "front_desk"], 200, 403, { other: 200 }), post: { body: { code: "" }, expect: only(["owner", "manager", "front_desk"], 400, 403, { other: 400 }) } },
  "_app.patients.$patientId.statement[.pdf]": { path: "/patients/:patientA/statement.pdf", get: only(["owner", "manager", "front_desk"], 200, 403, { other: 404 }) },
  "_app.portal.statement[.pdf]": { path: "/portal/statement.pdf", get: only(["patient"], 200) },
  "_app.gift-cards.bulk": { path: "/gift-cards/bulk", get: only(["owner", "manager", "front_desk"], 200, 403, { other: 200 }), post: { body: {}, expect: only(["owner", "manager", "front_desk"], 400, 403, { other: 400 }) } },
  "_app.invoices.$invoiceId.gift-codes[.csv]": { path: "/invoices/:invoiceA/gift-codes.csv", get: only(["owner", "manager", "front_desk"], 409, 403, { other: 404 }) },
  "_app.gift-cards.$giftCardId": { path: "/gift-cards/00000000-0000-0000-0000-000000000000", get: only(["owner", "manager", "front_desk"], 404, 403, { other: 404 }) },
  "_app.gift-cards.$giftCardId.card[.pdf]": { path: "/gift-cards/00000000-0000-0000-0000-000000000000/card.pdf", get: only(["owner", "manager", "front_desk"], 404, 403, { other: 404 }) },
  "_app.patients.$patientId.cards": { path: "/patients/:patientA/cards", get: only(["owner", "manager", "front_desk"], 200, 403, { other: 404 }), post: { body: { intent: "default" }, expect: only(["owner", "manager", "front_desk"], 400, 403, { other: 400 }) } },
  "_app.patients.$patientId.merge": { path: "/patients/:patientA/merge", get: only(["owner", "manager"], 200, 403, { other: 404 }), post: { body: { intent: "merge" }, expect: only(["owner", "manager"], 400, 403, { other: 400 }) } },
  "_app.patients.$patientId.photo": { path: "/patients/:patientA/photo", get: only(STAFF, 404, 403) },
  "resources.patient-search": { path: "/resources/patient-search", get: only(STAFF, 404), post: { body: { q: "" }, expect: only(STAFF, 200) } },
  "_app.board": { path: "/board", get: only(STAFF), post: { body: {}, expect: only(FLOOR, 400) } },
  "board.token": { path: "/board/token", get: only(STAFF, 404, 403, { anon: 401 }) },
  "_app.schedule": { path: "/schedule", get: only(STAFF), post: { body: {}, expect: only(FLOOR, 400) } },
  "_app.schedule_.new": { path: "/schedule/new", get: only(["owner", "manager", "front_desk", "other"]), post: { body: {}, expect: only(["owner", "manager", "front_desk", "other"], 400) } },
  // Charts: clinical staff only (owner, providers, the medical director); only the visit's provider writes.
  "_app.charts.$encounterId": { path: "/charts/:encounterA", get: only(["owner", "provider", "medical_director"], 200, 403, { other: 404 }), post: { body: { intent: "save" }, expect: only(["provider"], 400, 403) } },
  // A chart's photos: only the visit's provider posts (a bare POST lacks the photo's fields: 400); a photo that isn't there is 404.
  "_app.charts.$encounterId_.photos": { path: "/charts/:encounterA/photos", get: only(["provider"]), post: { body: {}, expect: only(["provider"], 400) } },
  // A tablet's outbox (POST only): only the visit's provider; a bare POST lacks the device's fields (400).
  "_app.charts.$encounterId.sync": { path: "/charts/:encounterA/sync", get: all(405), post: { body: {}, expect: only(["provider"], 400) } },
  "_app.charts.sync": { path: "/charts/sync", get: all(405), post: { body: {}, expect: only(["provider"], 400) } },
  "_app.charts.$encounterId.photos.$photoId": { path: "/charts/:encounterA/photos/no-such-photo", get: only(["owner", "provider", "medical_director", "other"], 404, 403) },
  // Consents: the patient signs on the chart's provider's tablet; a prescriber records the good-faith exam; managers keep the forms.
  "_app.charts.$encounterId_.consents.$templateId": { path: "/charts/:encounterA/consents/:consentTemplateA", get: only(["provider"]), post: { body: {}, expect: only(["provider"], 400) } },
  "_app.charts.$encounterId_.exam": { path: "/charts/:encounterA/exam", get: only(["owner", "medical_director"], 200, 403, { other: 404 }), post: { body: {}, expect: only(["owner", "medical_director", "other"], 400) } },
  "_app.consents._index": { path: "/consents", get: only(["owner", "manager", "medical_director", "other"]), post: { body: {}, expect: only(["owner", "manager", "medical_director", "other"], 400) } },
  "_app.consents.$templateId": { path: "/consents/:consentTemplateA", get: only(["owner", "manager", "medical_director"], 200, 403, { other: 404 }), post: { body: {}, expect: only(["owner", "manager", "medical_director", "other"], 400) } },
  "_app.consents.signed.$consentId[.pdf]": { path: "/consents/signed/no-such-consent.pdf", get: only(["owner", "provider", "medical_director", "other"], 404, 403) },
  "_app.charts.$encounterId.pdf": { path: "/charts/:encounterA/pdf", get: only(["owner", "provider", "medical_director"], 200, 403, { other: 404 }) },
  "_app.appointments.$appointmentId_.chart": { path: "/appointments/:appointmentA/chart", get: only(["owner", "provider", "medical_director", "other"], 302), post: { body: {}, expect: only(["owner", "provider", "medical_director"], 302, 403, { other: 404 }) } },
  "_app.reviews": { path: "/reviews", get: only(["owner", "medical_director", "other"]), post: { body: {}, expect: only(["owner", "medical_director", "other"], 400) } },
  "_app.compliance": { path: "/compliance", get: only(["owner", "medical_director", "other"]) },
  "_app.chart-templates._index": { path: "/chart-templates", get: only(["owner", "manager", "medical_director", "other"]), post: { body: {}, expect: only(["owner", "manager", "medical_director", "other"], 400) } },
  "_app.chart-templates.$templateId": { path: "/chart-templates/:templateA", get: only(["owner", "manager", "medical_director"], 200, 403, { other: 404 }), post: { body: { intent: "add" }, expect: only(["owner", "manager", "medical_director"], 409, 403, { other: 404 }) } },
  "_app.inventory._index": { path: "/inventory", get: only(["owner", "manager", "front_desk", "provider", "medical_director", "other"]), post: { body: {}, expect: only(["owner", "manager", "front_desk", "other"], 400) } },
  "_app.inventory.products": { path: "/inventory/products", get: only(ADMINS), post: { body: {}, expect: only(ADMINS, 400) } },
  "_app.inventory.lots.$lotId": { path: "/inventory/lots/:lotA", get: only(["owner", "manager", "medical_director"], 200, 403, { other: 404 }), post: { body: {}, expect: only(["owner", "manager", "medical_director"], 400, 403, { other: 404 }) } },
  "_app.inventory.lots.$lotId.trace[.csv]": { path: "/inventory/lots/:lotA/trace.csv", get: only(["owner", "manager", "medical_director"], 200, 403, { other: 404 }) },
  // Invoices: the desk, managers and owners at the invoice's location; a bare payment lacks its fields (400).
  "_app.settings.billing": { path: "/settings/billing", get: only(ADMINS), post: { body: {}, expect: only(ADMINS, 400) } },
  "_app.invoices.$invoiceId.receipt[.pdf]": { path: "/invoices/:invoiceA/receipt.pdf", get: only(["owner", "manager", "front_desk"], 200, 403, { other: 404 }) },
  // The day's money and the drawer: a bare POST lacks the drawer's fields (400).
  "_app.checkout": { path: "/checkout", get: only(["owner", "manager", "front_desk", "other"]), post: { body: {}, expect: only(["owner", "manager", "front_desk", "other"], 400) } },
  "_app.invoices.$invoiceId": { path: "/invoices/:invoiceA", get: only(["owner", "manager", "front_desk"], 200, 403, { other: 404 }), post: { body: { intent: "pay" }, expect: only(["owner", "manager", "front_desk"], 400, 403, { other: 400 }) } },
  "_app.appointments.$appointmentId": { path: "/appointments/:appointmentA", get: only(STAFF, 200, 403, { other: 404 }), post: { body: { intent: "status" }, expect: only(FLOOR, 400) } },
  "appointments.$appointmentId.calendar[.ics]": { path: "/appointments/:appointmentA/calendar.ics", get: signedIn(200, { other: 404 }) },
  "book.$org": { path: "/book/lumen", get: all(200) },
  // Gift cards bought online (ADR 037): public; this app takes no card payments online, so nothing sells.
  "gift.$org._index": { path: "/gift/lumen", get: all(200), post: { body: {}, expect: all(409) } },
  "gift.$org.orders.$token": { path: "/gift/lumen/orders/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", get: all(404), post: { body: { intent: "pay" }, expect: all(404) } },
  "_app.portal._index": { path: "/portal", get: only(["patient"]) },
  "_app.portal.visits.$appointmentId": { path: "/portal/visits/:appointmentA", get: only(["patient"]), post: { body: { intent: "move" }, expect: only(["patient"], 400) } },
  // A patient's copy of a signed chart of their own visit (this visit's chart is a draft: not shared yet).
  "_app.portal.visits.$appointmentId.chart[.pdf]": { path: "/portal/visits/:appointmentA/chart.pdf", get: only(["patient"], 404, 403) },
  "_app.portal.waitlist": { path: "/portal/waitlist", get: only(["patient"]), post: { body: { intent: "join" }, expect: only(["patient"], 400) } },
  "_app.waitlist": { path: "/waitlist", get: only(["owner", "manager", "front_desk", "other"]), post: { body: { intent: "join" }, expect: only(["owner", "manager", "front_desk", "other"], 400) } },
  "waitlist.offers.$token": { path: "/waitlist/offers/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", get: all(404), post: { body: { answer: "accept" }, expect: all(404) } },
  "_app.portal.invoices._index": { path: "/portal/invoices", get: only(["patient"]) },
  "_app.portal.invoices.$invoiceId": { path: "/portal/invoices/00000000-0000-0000-0000-000000000000", get: only(["patient"], 404), post: { body: { intent: "pay" }, expect: only(["patient"], 409) } },
  "_app.portal.invoices.$invoiceId.receipt[.pdf]": { path: "/portal/invoices/00000000-0000-0000-0000-000000000000/receipt.pdf", get: only(["patient"], 404) },
  "_app.portal.invoices.$invoiceId.superbill[.pdf]": { path: "/portal/invoices/00000000-0000-0000-0000-000000000000/superbill.pdf", get: only(["patient"], 404) },
  "_app.invoices.$invoiceId.superbill[.pdf]": { path: "/invoices/:invoiceA/superbill.pdf", get: only(["owner", "manager", "front_desk"], 200, 403, { other: 404 }) },
  "_app.portal.cards": { path: "/portal/cards", get: only(["patient"]), post: { body: { intent: "default" }, expect: only(["patient"], 400) } },
  "_app.portal.profile": { path: "/portal/profile", get: only(["patient"]), post: { body: {}, expect: only(["patient"], 200) } },
  "_app.audit": { path: "/audit", get: only(ADMINS) },
  "_app.outbox": { path: "/outbox", get: only(ADMINS), post: { body: {}, expect: only(ADMINS, 400) } },
  "_app.settings": { path: "", get: "layout" },
  "_app.settings._index": { path: "/settings", get: only(ADMINS, 302) },
  "_app.settings.organization": { path: "/settings/organization", get: only(ADMINS), post: { body: {}, expect: only(["owner", "other"], 400) } },
  "_app.settings.locations._index": { path: "/settings/locations", get: only(ADMINS), post: { body: {}, expect: only(ADMINS, 400) } },
  "_app.settings.locations.$locationId": { path: "/settings/locations/:locationA", get: only(ADMINS, 200, 403, { other: 404 }), post: { body: { intent: "add-room" }, expect: only(ADMINS, 400, 403, { other: 404 }) } },
  "_app.settings.services._index": { path: "/settings/services", get: only(ADMINS), post: { body: {}, expect: only(ADMINS, 400) } },
  "_app.settings.services.$serviceId": { path: "/settings/services/:serviceA", get: only(ADMINS, 200, 403, { other: 404 }), post: { body: {}, expect: only(ADMINS, 400, 403, { other: 404 }) } },
  "_app.settings.staff._index": { path: "/settings/staff", get: only(ADMINS), post: { body: {}, expect: only(ADMINS, 400) } },
  "_app.settings.staff.$userId": { path: "/settings/staff/:providerA", get: only(ADMINS, 200, 403, { other: 404 }), post: { body: { intent: "update" }, expect: only(ADMINS, 400, 403, { other: 404 }) } },
  "_app.account._index": { path: "/account", get: signedIn(200), post: { body: {}, expect: signedIn(400) } },
  "_app.account.calendar": { path: "/account/calendar", get: only(["provider", "patient"]), post: { body: { intent: "off" }, expect: only(["provider", "patient"]) } },
  "feeds.$token.calendar[.ics]": { path: "/feeds/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/calendar.ics", get: all(404) },
  // The signing PIN: those who sign charts (a bare POST lacks the PIN: 400).
  "_app.account.signing-pin": { path: "/account/signing-pin", get: only(["provider"]), post: { body: {}, expect: only(["provider"], 400) } },
  "_app.account.mfa": { path: "/account/mfa", get: signedIn(200, { patient: 302 }), post: { body: {}, expect: signedIn(400, { patient: 302 }) } },
  "resources.organization": { path: "/resources/organization", get: all(302), post: { body: { organizationId: "nope" }, expect: signedIn(403) } },
  "resources.location": { path: "/resources/location", get: all(302), post: { body: { locationId: "nope" }, expect: signedIn(403, { patient: 403 }) } },
  "login": { path: "/login", get: signedIn(302, { anon: 200 }) },
  "login_.mfa": { path: "/login/mfa", get: all(302) },
  "logout": { path: "/logout", get: all(302) },
  "forgot-password": { path: "/forgot-password", get: all(200) },
  "reset-password": { path: "/reset-password", get: all(200) },
  "invite": { path: "/invite", get: all(200) },
  "webhooks.stripe": { path: "/webhooks/stripe", get: all(404), post: { body: {}, expect: all(404) } },
  "webhooks.twilio.sms": { path: "/webhooks/twilio/sms", get: all(404), post: { body: {}, expect: all(404) } },
  "unsubscribe.$token": { path: "/unsubscribe/AAAA.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", get: all(404), post: { body: {}, expect: all(404) } },
  "healthz": { path: "/healthz", get: all(200) },
};

const WHO: Who[] = ["anon", "owner", "manager", "front_desk", "provider", "medical_director", "patient", "other"];
let app: TestApp;
const clients = {} as Record<Who, Client>;
const ids: Record<string, string> = {};

beforeAll(async () => {
  app = await startTestApp();
  const [orgA] = await app.db.select({ org: organizations.id }).from(organizations).where(eq(organizations.slug, "lumen"));
  ids.patientA = (await app.db.select({ id: patients.id }).from(patients).where(and(eq(patients.organizationId, orgA.org), isNull(patients.userId), isNotNull(patients.email))).limit(1))[0].id;
  // The front desk's (and provider@'s) location, so their rows below are about permissions, not scope.
  const [desk] = await app.db.select({ id: users.id }).from(users).where(eq(users.email, ROLE_EMAILS.front_desk));
  ids.locationA = (await app.db.select({ id: userLocations.locationId }).from(userLocations).innerJoin(locations, eq(locations.id, userLocations.locationId)).where(and(eq(userLocations.userId, desk.id), eq(locations.organizationId, orgA.org))).limit(1))[0].id;
  ids.providerA = (await app.db.select({ id: users.id }).from(users).where(eq(users.email, ROLE_EMAILS.provider)))[0].id;
  // An appointment of organization A for the portal patient, so record pages have something to show.
  const [portalUser] = await app.db.select({ id: users.id }).from(users).where(eq(users.email, ROLE_EMAILS.patient));
  const [portalPatient] = await app.db.select({ id: patients.id }).from(patients).where(eq(patients.userId, portalUser.id));
  const [service] = await app.db.select({ id: services.id }).from(services).where(eq(services.organizationId, orgA.org)).limit(1);
  ids.serviceA = service.id;
  ids.appointmentA = crypto.randomUUID();
  const start = new Date(Date.now() + 7 * 86_400_000);
  const end = new Date(start.getTime() + 30 * 60_000);
  await app.db.insert(appointments).values({ id: ids.appointmentA, organizationId: orgA.org, locationId: ids.locationA, patientId: portalPatient.id, providerId: ids.providerA, serviceId: service.id, status: "confirmed", startsAt: start, endsAt: end, blockStart: start, blockEnd: end, priceCents: 100, createdAt: new Date() });
  // A chart for that visit, and a lot at the desk's location, for the charting and inventory rows.
  ids.encounterA = crypto.randomUUID();
  await app.db.insert(encounters).values({ id: ids.encounterA, organizationId: orgA.org, locationId: ids.locationA, appointmentId: ids.appointmentA, patientId: portalPatient.id, providerId: ids.providerA, serviceId: service.id, templateVersionId: `seed-soap-${orgA.org}-v1`, createdAt: new Date(), updatedAt: new Date() });
  ids.lotA = `${ids.locationA}-lot-C3912`;
  ids.invoiceA = crypto.randomUUID();
  await app.db.insert(invoices).values({ id: ids.invoiceA, organizationId: orgA.org, locationId: ids.locationA, patientId: portalPatient.id, appointmentId: ids.appointmentA, number: 1, taxMode: "exclusive", createdAt: new Date() });
  ids.templateA = `seed-neurotoxin-${orgA.org}`;
  // A consent that visit's service requires, for the consent page's row.
  ids.consentTemplateA = `consent-photography-${orgA.org}`;
  await app.db.insert(serviceConsents).values({ serviceId: service.id, templateId: ids.consentTemplateA, organizationId: orgA.org }).onConflictDoNothing();
  for (const who of WHO) {
    clients[who] = new Client(app.url);
    if (who === "anon") continue;
    await clients[who].signIn(who === "other" ? `owner@${ORG_B}` : ROLE_EMAILS[who]);
  }
});
afterAll(async () => {
  await app.close();
});

const resolve = (path: string) => path.replace(/:(\w+)/g, (_, k: string) => ids[k]);

describe("authorization matrix", () => {
  it("has a row for every route module", () => {
    const modules = readdirSync(`${ROOT}/app/routes`).filter((f) => /\.tsx?$/.test(f)).map((f) => f.replace(/\.tsx?$/, ""));
    expect(modules.filter((m) => !(m in ROUTES))).toEqual([]);
    expect(Object.keys(ROUTES).filter((r) => !modules.includes(r))).toEqual([]);
  });

  for (const [route, c] of Object.entries(ROUTES)) {
    if (c.get === "layout") continue;
    const expected = c.get;
    it(`GET ${c.path} (${route})`, async () => {
      const actual: Partial<Expect> = {};
      for (const who of WHO) actual[who] = (await clients[who].get(resolve(c.path))).status;
      expect(actual).toEqual(expected);
    });
    if (c.post) {
      const post = c.post;
      it(`POST ${c.path} (${route})`, async () => {
        const actual: Partial<Expect> = {};
        for (const who of WHO) actual[who] = (await clients[who].post(resolve(c.path), post.body)).status;
        expect(actual).toEqual(post.expect);
      });
    }
  }

  it("sends anonymous visitors of private pages to sign-in, remembering where they were going", async () => {
    const res = await new Client(app.url).get("/patients?page=2");
    expect(res.headers.get("location")).toBe("/login?redirectTo=%2Fpatients%3Fpage%3D2");
  });

  it("audits each permission denial", async () => {
    const { auditEvents } = await import("../../db/schema");
    const denied = await app.db.select().from(auditEvents).where(and(eq(auditEvents.action, "permission.denied"), eq(auditEvents.outcome, "denied")));
    expect(denied.length).toBeGreaterThan(10);
  });
});
