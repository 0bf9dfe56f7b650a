import { and, eq } from "drizzle-orm";
import { expect } from "vitest";
import { appointments, locations, patients, services, users } from "../../db/schema";
import { arrangeConsentsOnFile } from "./consents-on-file";
import { Client, ROLE_EMAILS, type TestApp } from "./test-app";

export const lotId = (locationId: string, lot: string) => `${locationId}-lot-${lot}`;
/** The neurotoxin template's required answers. */
export const ANSWERS = { "answer.consent_reviewed": "yes", "answer.pregnant_or_nursing": "no" };
export const point = (i: number, p: Record<string, string>) => Object.fromEntries(Object.entries(p).map(([k, v]) => [`points[${i}].${k}`, v]));

/** Visits and charts in a test app's demo data (`app` is read when called: each test has its own). */
export function chartingHelpers(current: () => TestApp) {
  async function midtown() {
    const [location] = await current().db.select().from(locations).where(eq(locations.name, "Lumen Midtown"));
    return location;
  }

  /** A checked-in neurotoxin visit with the test provider, `hoursAgo` back (each call its own time). */
  async function visit(hoursAgo: number, status: "checked_in" | "completed" = "checked_in") {
    const { db } = current();
    const location = await midtown();
    const [provider] = await db.select().from(users).where(eq(users.email, ROLE_EMAILS.provider));
    const [patient] = await db.select().from(patients).where(eq(patients.organizationId, location.organizationId)).limit(1);
    const [service] = await db.select().from(services).where(and(eq(services.organizationId, location.organizationId), eq(services.name, "Neurotoxin (Botox, Dysport)")));
    const id = crypto.randomUUID();
    const start = new Date(Date.now() - hoursAgo * 3_600_000);
    const end = new Date(start.getTime() + 30 * 60_000);
    await db.insert(appointments).values({ id, organizationId: location.organizationId, locationId: location.id, patientId: patient.id, providerId: provider.id, serviceId: service.id, status, startsAt: start, endsAt: end, blockStart: start, blockEnd: end, priceCents: 100, createdAt: new Date() });
    return { id, location, patient };
  }

  async function providerClient() {
    const client = new Client(current().url);
    await client.signIn(ROLE_EMAILS.provider);
    return client;
  }

  /** Opens the visit's chart as its provider; returns the encounter id. */
  async function openChart(client: Client, appointmentId: string) {
    const res = await client.post(`/appointments/${appointmentId}/chart`, {});
    expect(res.status).toBe(302);
    return res.headers.get("location")!.replace("/charts/", "");
  }

  /** The consents the service requires, on file for the patient (for tests about charting itself, not consents). */
  const consentsOnFile = (patientId: string, serviceId?: string) => arrangeConsentsOnFile(current().db, patientId, serviceId);

  return { midtown, visit, providerClient, openChart, consentsOnFile };
}
