import { and, eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { appointments, auditEvents, locations, patients, productLots, products, services, stockMovements, users } from "../../db/schema";
import { chartingHelpers } from "../helpers/charting";
import { Client, DEMO_PASSWORD, ROLE_EMAILS, startTestApp, type TestApp } from "../helpers/test-app";

let app: TestApp;
beforeEach(async () => {
  app = await startTestApp();
});
afterEach(async () => {
  await app.close();
});

const as = async (email: string) => {
  const c = new Client(app.url);
  await c.signIn(email);
  return c;
};

describe("products, lots and recall trace (issue 11)", () => {
  it("receives a delivery into a lot (more of a lot adds to it), refusing bad input by field", async () => {
    const [midtown] = await app.db.select().from(locations).where(eq(locations.name, "Lumen Midtown"));
    const [botox] = await app.db.select().from(products).where(and(eq(products.organizationId, midtown.organizationId), eq(products.name, "Botox")));
    const desk = await as(ROLE_EMAILS.front_desk);
    for (const [fields, message] of [
      [{ productId: botox.id, lotNumber: "C9001", expiresOn: "2027-02-30", packages: "2" }, /expiry date/],
      [{ productId: botox.id, lotNumber: "C9001", expiresOn: "2027-02-28", packages: "0" }, /At least one arrived/],
      [{ productId: botox.id, lotNumber: "<script>", expiresOn: "2027-02-28", packages: "2" }, /lot number as printed/],
      [{ productId: "nope", lotNumber: "C9001", expiresOn: "2027-02-28", packages: "2" }, /Choose a product/],
      [{ productId: botox.id, lotNumber: "C3912", expiresOn: "2030-01-01", packages: "2" }, /already held here with expiry 2027-03-31/],
    ] as const) {
      const res = await desk.post("/inventory", fields);
      expect(res.status, JSON.stringify(fields)).toBe(400);
      expect(await res.text()).toMatch(message);
    }
    expect(await app.db.select().from(productLots).where(eq(productLots.lotNumber, "C9001"))).toEqual([]);
    expect((await desk.post("/inventory", { productId: botox.id, lotNumber: "C9001", expiresOn: "2027-02-28", packages: "2", cost: "540" })).status).toBe(200);
    expect((await desk.post("/inventory", { productId: botox.id, lotNumber: "C9001", expiresOn: "2027-02-28", packages: "1" })).status).toBe(200);
    const [lot] = await app.db.select().from(productLots).where(and(eq(productLots.lotNumber, "C9001"), eq(productLots.locationId, midtown.id)));
    expect([lot.received, lot.remaining, lot.costCents]).toEqual([30000, 30000, 54000]);
    expect((await app.db.select().from(stockMovements).where(eq(stockMovements.lotId, lot.id))).map((m) => m.quantity).sort()).toEqual([10000, 20000]);
    const page = await (await desk.get("/inventory")).text();
    expect(page).toContain("C9001");
    expect(page).toContain("Expired");
  });

  it("recalls a lot everywhere: charts refuse it, and the trace lists every patient treated with it, on the page and as CSV", async () => {
    const [midtown] = await app.db.select().from(locations).where(eq(locations.name, "Lumen Midtown"));
    const [provider] = await app.db.select().from(users).where(eq(users.email, ROLE_EMAILS.provider));
    const [patient] = await app.db.select().from(patients).where(eq(patients.organizationId, midtown.organizationId)).limit(1);
    const [service] = await app.db.select().from(services).where(and(eq(services.organizationId, midtown.organizationId), eq(services.name, "Dermal filler")));
    const appointmentId = crypto.randomUUID();
    const start = new Date(Date.now() - 3_600_000);
    await app.db.insert(appointments).values({ id: appointmentId, organizationId: midtown.organizationId, locationId: midtown.id, patientId: patient.id, providerId: provider.id, serviceId: service.id, status: "in_room", startsAt: start, endsAt: new Date(start.getTime() + 3_600_000), blockStart: start, blockEnd: new Date(start.getTime() + 3_600_000), priceCents: 100, createdAt: new Date() });
    await chartingHelpers(() => app).consentsOnFile(patient.id, service.id);
    const injector = await as(ROLE_EMAILS.provider);
    const opened = await injector.post(`/appointments/${appointmentId}/chart`, {});
    const chart = opened.headers.get("location")!;
    const lotId = `${midtown.id}-lot-J2201`;
    const signed = await injector.post(chart, { intent: "sign", password: DEMO_PASSWORD, revision: "1", "answer.consent_reviewed": "yes", "answer.pregnant_or_nursing": "no", "answer.capillary_refill": "yes", "points[0].zone": "lips", "points[0].lotId": lotId, "points[0].amount": "0.5" });
    expect(signed.status).toBe(302);
    const md = await as(ROLE_EMAILS.medical_director);
    const page = await md.get(`/inventory/lots/${lotId}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(`${patient.firstName} ${patient.lastName}`);
    expect(html).toContain("0.5 ml");
    const csv = await md.get(`/inventory/lots/${lotId}/trace.csv`);
    expect(csv.headers.get("content-type")).toContain("text/csv");
    const lines = (await csv.text()).trim().split("\r\n");
    expect(lines[0]).toBe("product,lot,patient_first_name,patient_last_name,date_of_birth,phone,visit_date,location,provider,amount_ml,chart_status,chart_id");
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(`Juvéderm Ultra XC,J2201,${patient.firstName},${patient.lastName},${patient.dateOfBirth}`);
    expect(lines[1]).toContain(",0.5,signed,");
    // Recall: every location's J2201 lot, once; charts refuse it after.
    expect((await md.post(`/inventory/lots/${lotId}`, { reason: "" })).status).toBe(400);
    const recalled = await md.post(`/inventory/lots/${lotId}`, { reason: "Manufacturer notice 2026-118" });
    expect(await recalled.text()).toMatch(/recalled at \d+ locations/);
    const recalledLots = await app.db.select().from(productLots).where(and(eq(productLots.organizationId, midtown.organizationId), eq(productLots.lotNumber, "J2201")));
    expect(recalledLots.every((l) => l.recalledAt)).toBe(true);
    const second = crypto.randomUUID();
    await app.db.insert(appointments).values({ id: second, organizationId: midtown.organizationId, locationId: midtown.id, patientId: patient.id, providerId: provider.id, serviceId: service.id, status: "in_room", startsAt: new Date(start.getTime() - 7_200_000), endsAt: new Date(start.getTime() - 3_600_000), blockStart: new Date(start.getTime() - 7_200_000), blockEnd: new Date(start.getTime() - 3_600_000), priceCents: 100, createdAt: new Date() });
    const other = (await injector.post(`/appointments/${second}/chart`, {})).headers.get("location")!;
    const refused = await injector.post(other, { intent: "save", revision: "1", "points[0].zone": "lips", "points[0].lotId": lotId, "points[0].amount": "0.5" });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain("has been recalled");
    await new Promise((r) => setTimeout(r, 50));
    const traceAudits = await app.db.select().from(auditEvents).where(eq(auditEvents.action, "lot.trace"));
    expect(traceAudits.length).toBeGreaterThanOrEqual(2);
    for (const a of traceAudits) expect(JSON.stringify(a)).not.toContain(patient.lastName);
  });
});
