import { and, eq, like } from "drizzle-orm";
import { Temporal } from "temporal-polyfill";
import { openDatabase } from "../../db/client";
import { patients, services, users } from "../../db/schema";
import { TEMPLATE_DB } from "../setup/paths";
import { ROLE_EMAILS } from "./test-app";

/**
 * A staff booking's form fields from the seeded template: the portal patient, a neurotoxin visit
 * with provider@, on a weekday `daysAhead` days from now (New York). Ids are the same in every copy.
 */
export async function deskBookingFields(time: string, daysAhead = 5) {
  const { client, db } = openDatabase(`file:${TEMPLATE_DB}`);
  try {
    const [provider] = await db.select().from(users).where(eq(users.email, ROLE_EMAILS.provider));
    const [portal] = await db.select().from(users).where(eq(users.email, ROLE_EMAILS.patient));
    const [patient] = await db.select().from(patients).where(eq(patients.userId, portal.id));
    const [service] = await db.select().from(services).where(and(eq(services.organizationId, patient.organizationId), like(services.name, "Neurotoxin%")));
    const others = await db.select({ id: patients.id }).from(patients).where(eq(patients.organizationId, patient.organizationId)).limit(12);
    let day = Temporal.Now.plainDateISO("America/New_York").add({ days: daysAhead });
    while (day.dayOfWeek > 5) day = day.add({ days: 1 });
    return { fields: { patientId: patient.id, serviceId: service.id, providerId: provider.id, date: day.toString(), time, occurrences: "1", repeatWeeks: "1" }, otherPatientIds: others.map((p) => p.id) };
  } finally {
    client.close();
  }
}
