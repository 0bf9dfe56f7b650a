import { seedCharting } from "./charting";
import { Faker, en, en_US } from "@faker-js/faker";
import { eq } from "drizzle-orm";
import type { Db } from "../../app/lib/db.server";
import { hashPassword } from "../../app/auth/password.server";
import { appointments, locations, memberships, organizations, patients, rooms, serviceProviders, services, shifts, userLocations, users, type RoomType, type Role } from "../schema";
import { addDays, localDay } from "../../app/scheduling/local-time";
import { seedRecordDetails, seedSignedConsents } from "./record-details";

export type SeedSize = "test" | "demo" | "large" | "xl";
/**
 * A person's name as a clinic's staff list shows it: faker's full names sometimes carry a title or
 * suffix ("Ms. Cleta Klocko", "Ivan Ruiz III"), which read badly after "Dr." (issue 10). Taken off
 * the generated string, so the random sequence, and with it the rest of the data, is unchanged.
 */
export function plainName(fullName: string) {
  return fullName.replace(/^(Mr|Mrs|Ms|Miss|Dr)\.\s+/, "").replace(/\s+(Jr\.|Sr\.|I{2,3}|IV|V|MD|DDS|PhD|DVM)$/, "");
}

export const DEMO_PASSWORD = "atrium-demo-password";
/** Known TOTP secret for the pre-enrolled accounts of the `test` size only. */
export const TEST_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

interface LocationPlan {
  name: string;
  /** Sales tax on retail, thousandths of a percent (services untaxed, as in most states). */
  retailTax: number;
  timeZone: string;
  city: string;
  region: string;
  postalCode: string;
  address: string;
  phone: string;
}

const LOCATIONS: LocationPlan[] = [
  { name: "Lumen Midtown", retailTax: 8875, timeZone: "America/New_York", city: "New York", region: "NY", postalCode: "10018", address: "500 Fifth Avenue, Suite 1200", phone: "(212) 555-0142" },
  { name: "Lumen Santa Monica", retailTax: 10250, timeZone: "America/Los_Angeles", city: "Santa Monica", region: "CA", postalCode: "90401", address: "1315 Third Street Promenade", phone: "(310) 555-0187" },
  { name: "Lumen River North", retailTax: 10250, timeZone: "America/Chicago", city: "Chicago", region: "IL", postalCode: "60654", address: "401 N Wells Street", phone: "(312) 555-0119" },
  { name: "Lumen Cherry Creek", retailTax: 8810, timeZone: "America/Denver", city: "Denver", region: "CO", postalCode: "80206", address: "2800 E 2nd Avenue", phone: "(303) 555-0166" },
  { name: "Lumen South Lamar", retailTax: 8250, timeZone: "America/Chicago", city: "Austin", region: "TX", postalCode: "78704", address: "1100 S Lamar Blvd", phone: "(512) 555-0173" },
];
const ROOM_PLAN: { name: string; type: RoomType }[] = [
  { name: "Injection 1", type: "injection" },
  { name: "Injection 2", type: "injection" },
  { name: "Laser", type: "laser" },
  { name: "Facial Suite", type: "facial" },
  { name: "Consult", type: "consultation" },
  { name: "Treatment 1", type: "treatment" },
];

const SERVICE_PLAN: { name: string; billedByProduct?: boolean; category: string; minutes: number; after: number; priceCents: number; roomType: RoomType; autoConfirm: boolean; description: string }[] = [
  { name: "Neurotoxin (Botox, Dysport)", billedByProduct: true, category: "Injectables", minutes: 30, after: 10, priceCents: 45_000, roomType: "injection", autoConfirm: true, description: "Softens forehead lines, frown lines and crow's feet." },
  { name: "Dermal filler", billedByProduct: true, category: "Injectables", minutes: 60, after: 15, priceCents: 75_000, roomType: "injection", autoConfirm: true, description: "Restores volume to lips, cheeks and jawline." },
  { name: "Laser hair removal", category: "Laser", minutes: 45, after: 15, priceCents: 25_000, roomType: "laser", autoConfirm: true, description: "Per area; a series of six is recommended." },
  { name: "HydraFacial", category: "Skin", minutes: 60, after: 15, priceCents: 22_500, roomType: "facial", autoConfirm: true, description: "Cleanse, extract and hydrate." },
  { name: "Laser resurfacing consultation", category: "Laser", minutes: 30, after: 0, priceCents: 0, roomType: "consultation", autoConfirm: false, description: "The clinic confirms your request within one business day." },
];

const SIZES = {
  test: { locations: 2, providers: 3, patients: 60, roomsPerLocation: 5 },
  demo: { locations: 2, providers: 8, patients: 2_000, roomsPerLocation: 6 },
  large: { locations: 5, providers: 20, patients: 50_000, roomsPerLocation: 20 },
  // Ten times large: what a mature multi-site clinic group holds after years (issue 14).
  xl: { locations: 5, providers: 100, patients: 500_000, roomsPerLocation: 100 },
} as const;

/**
 * Benchmarks read this range of the large data set: 14 days, all 20 providers at the first location.
 * It starts on the first Tuesday of December next year, so its days are always ahead of the clock:
 * a day that has passed shows no open times to book (the day view drops them), and a benchmark of
 * it would measure a lighter page than the desk sees. A data set made for another range is made
 * again (bench/large-data.ts), once a year.
 */
export const LARGE_APPOINTMENT_RANGE = { fromDate: firstTuesdayOfDecember(new Date().getUTCFullYear() + 1), days: 14 } as const;
function firstTuesdayOfDecember(year: number) {
  const weekday = new Date(Date.UTC(year, 11, 1)).getUTCDay();
  return `${year}-12-${String(1 + ((2 - weekday + 7) % 7)).padStart(2, "0")}`;
}
/** Two years of history before that range, in the xl data set. */
export const XL_HISTORY_DAYS = 730;

const APPOINTMENT_PLAN = {
  test: null,
  // Two months of past visits first, so most patients have been before (not all "New").
  demo: { days: 5, perProviderPerDay: 4, historyDays: 60 },
  large: { days: LARGE_APPOINTMENT_RANGE.days, perProviderPerDay: 10 },
  // The same fortnight, after two years of past visits (completed, some cancelled or missed).
  xl: { days: LARGE_APPOINTMENT_RANGE.days, perProviderPerDay: 10, historyDays: XL_HISTORY_DAYS },
} as const;

export interface SeedSummary {
  organizations: { id: string; name: string; slug: string }[];
  signIns: { email: string; role: Role; organization: string; mfa: boolean }[];
  patients: number;
  appointments: number;
}

/**
 * Deterministic: the same seed number gives the same organizations, people, ids and
 * contact details (password hashes differ only by their random salt).
 */
export async function generateDemoData(db: Db, { size, seed = 2026, now = new Date("2026-11-01T12:00:00Z") }: { size: SeedSize; seed?: number; now?: Date }): Promise<SeedSummary> {
  const faker = new Faker({ locale: [en_US, en] });
  faker.seed(seed);
  faker.setDefaultRefDate(now);
  const plan = SIZES[size];
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const id = () => faker.string.uuid();
  const summary: SeedSummary = { organizations: [], signIns: [], patients: 0, appointments: 0 };
  const preEnrol = size === "test";

  const userIds = new Map<string, string>();
  /** One identity per email; a person who works at two clinics gets two memberships. */
  async function addMember(organizationId: string, s: { role: Role; email: string; name: string; mfa: boolean }, status: "active" | "invited" = "active") {
    let userId = userIds.get(s.email);
    if (!userId) {
      userId = id();
      userIds.set(s.email, userId);
      await db.insert(users).values({ id: userId, email: s.email, name: s.name, passwordHash, mfaSecret: s.mfa ? TEST_TOTP_SECRET : null, mfaEnabledAt: s.mfa ? now : null, createdAt: now });
    }
    await db.insert(memberships).values({ id: id(), userId, organizationId, role: s.role, status, createdAt: now });
    return userId;
  }

  async function seedOrganization(o: { name: string; slug: string; domain: string; locations: LocationPlan[]; providers: number; patients: number; roomsPerLocation: number; medicalDirectorEmail?: string }) {
    const orgId = id();
    await db.insert(organizations).values({ id: orgId, name: o.name, slug: o.slug, phone: o.locations[0].phone, email: `hello@${o.domain}`, website: `https://${o.domain}`, createdAt: now });
    summary.organizations.push({ id: orgId, name: o.name, slug: o.slug });

    const locationIds: string[] = [];
    for (const l of o.locations) {
      const locationId = id();
      locationIds.push(locationId);
      await db.insert(locations).values({ id: locationId, organizationId: orgId, name: l.name, timeZone: l.timeZone, addressLine1: l.address, city: l.city, region: l.region, postalCode: l.postalCode, country: "US", phone: l.phone, taxRetailRate: l.retailTax, createdAt: now });
      // Beyond the standard plan, extra rooms are injection rooms (the large flagship has 20 providers).
      const plan = Array.from({ length: o.roomsPerLocation }, (_, i) => ROOM_PLAN[i] ?? { name: `Injection ${i - ROOM_PLAN.length + 3}`, type: "injection" as const });
      await db.insert(rooms).values(plan.map((r) => ({ id: id(), organizationId: orgId, locationId, name: r.name, roomType: r.type, createdAt: now })));
    }

    const staff: { role: Role; email: string; name: string; locations: string[]; mfa: boolean }[] = [
      { role: "owner", email: `owner@${o.domain}`, name: plainName(faker.person.fullName()), locations: locationIds, mfa: preEnrol },
      { role: "manager", email: `manager@${o.domain}`, name: plainName(faker.person.fullName()), locations: locationIds, mfa: preEnrol },
      { role: "front_desk", email: `frontdesk@${o.domain}`, name: plainName(faker.person.fullName()), locations: [locationIds[0]], mfa: false },
      { role: "medical_director", email: o.medicalDirectorEmail ?? `md@${o.domain}`, name: `Dr. ${plainName(faker.person.fullName())}`, locations: locationIds, mfa: false },
    ];
    for (let i = 0; i < o.providers; i++) {
      const name = `${faker.person.firstName()} ${faker.person.lastName()}, ${faker.helpers.arrayElement(["RN", "NP", "PA-C", "RN"])}`;
      staff.push({ role: "provider", email: i === 0 ? `provider@${o.domain}` : `provider${i + 1}@${o.domain}`, name, locations: [locationIds[i % locationIds.length]], mfa: false });
    }
    for (const s of staff) {
      const userId = await addMember(orgId, s);
      await db.insert(userLocations).values(s.locations.map((locationId) => ({ userId, locationId })));
      summary.signIns.push({ email: s.email, role: s.role, organization: o.name, mfa: s.mfa });
    }

    // Catalogue and weekly schedules: every provider works Monday to Friday 9–5 at their location.
    const serviceIds: string[] = [];
    for (const s of SERVICE_PLAN) {
      const serviceId = id();
      serviceIds.push(serviceId);
      await db.insert(services).values({ id: serviceId, organizationId: orgId, name: s.name, category: s.category, description: s.description, durationMinutes: s.minutes, bufferAfterMinutes: s.after, priceCents: s.priceCents, billedByProduct: s.billedByProduct ?? false, roomType: s.roomType, autoConfirm: s.autoConfirm, createdAt: now });
    }
    await seedCharting(db, orgId, locationIds, now);
    const providerUsers = [...userIds.entries()].filter(([email]) => email.startsWith("provider") && email.endsWith(o.domain));
    // In the large set every provider works at the flagship, as the benchmarks require.
    const flagshipOnly = (size === "large" || size === "xl") && o.slug === "lumen";
    for (const [index, [, userId]] of providerUsers.entries()) {
      await db.insert(serviceProviders).values(serviceIds.map((serviceId) => ({ serviceId, userId })));
      const locationId = flagshipOnly ? locationIds[0] : locationIds[index % locationIds.length];
      if (flagshipOnly && locationId !== locationIds[index % locationIds.length]) await db.insert(userLocations).values({ userId, locationId }).onConflictDoNothing();
      // The large flagship keeps long days (8–19), so its busy fortnight still has open time.
      const [startHour, endHour] = flagshipOnly ? [8, 19] : [9, 17];
      await db.insert(shifts).values([1, 2, 3, 4, 5].map((weekday) => ({ id: id(), organizationId: orgId, locationId, userId, weekday, startMinute: startHour * 60, endMinute: endHour * 60, effectiveFrom: "2026-01-01", effectiveTo: null })));
    }

    // Patients, in batches inside one transaction each so a large seed stays quick.
    const portalUserId = await addMember(orgId, { role: "patient", email: `patient@${o.domain}`, name: "Jordan Avery", mfa: false });
    summary.signIns.push({ email: `patient@${o.domain}`, role: "patient", organization: o.name, mfa: false });
    const batch = 500;
    for (let start = 0; start < o.patients; start += batch) {
      const rows: (typeof patients.$inferInsert)[] = [];
      for (let i = start; i < Math.min(o.patients, start + batch); i++) {
        const portal = i === 0;
        const sex = faker.person.sex() as "female" | "male";
        const firstName = portal ? "Jordan" : faker.person.firstName(sex);
        const lastName = portal ? "Avery" : faker.person.lastName();
        rows.push({
          id: id(),
          organizationId: orgId,
          firstName,
          lastName,
          dateOfBirth: faker.date.birthdate({ mode: "age", min: 19, max: 78 }).toISOString().slice(0, 10),
          email: portal ? `patient@${o.domain}` : faker.internet.email({ firstName, lastName, provider: "example.com" }).toLowerCase().replace("@", `.${i}@`),
          phone: faker.phone.number({ style: "national" }),
          preferredLocationId: locationIds[i % locationIds.length],
          userId: portal ? portalUserId : null,
          smsConsent: faker.datatype.boolean({ probability: 0.8 }),
          emailConsent: faker.datatype.boolean({ probability: 0.9 }),
          createdAt: faker.date.past({ years: 4, refDate: now }),
        });
      }
      await db.insert(patients).values(rows);
    }
    summary.patients += o.patients;

    // Booked visits: back to back from 9:00 on weekdays, for every provider at their location.
    const appointmentPlan = APPOINTMENT_PLAN[size];
    if (appointmentPlan && o.slug === "lumen") {
      const patientIds = (await db.select({ id: patients.id }).from(patients).where(eq(patients.organizationId, orgId)).limit(size === "xl" ? 50_000 : 5_000)).map((p) => p.id);
      const plannedShifts = await db.select({ userId: shifts.userId, locationId: shifts.locationId }).from(shifts).where(eq(shifts.organizationId, orgId));
      const providerLocation = new Map(plannedShifts.map((s) => [s.userId, s.locationId]));
      const zones = new Map(o.locations.map((l, i) => [locationIds[i], l.timeZone]));
      const rangeStart = size === "large" || size === "xl" ? LARGE_APPOINTMENT_RANGE.fromDate : now.toISOString().slice(0, 10);
      const historyDays = "historyDays" in appointmentPlan ? appointmentPlan.historyDays : 0;
      const fromDate = addDays(rangeStart, -historyDays);
      // Written a day at a time: two years of a 100-provider clinic is half a million visits.
      for (let d = 0; d < historyDays + appointmentPlan.days; d++) {
        const date = addDays(fromDate, d);
        const past = date < rangeStart;
        const weekday = new Date(`${date}T12:00:00Z`).getUTCDay();
        if (weekday === 0 || weekday === 6) continue;
        const rows: (typeof appointments.$inferInsert)[] = [];
        for (const [, userId] of providerUsers) {
          const locationId = providerLocation.get(userId)!;
          const day = localDay(zones.get(locationId)!, date);
          for (let k = 0; k < appointmentPlan.perProviderPerDay; k++) {
            const start = day.start + (9 * 60 + k * 45) * 60_000;
            const serviceIndex = faker.number.int({ min: 0, max: 1 });
            const minutes = serviceIndex === 0 ? 30 : 40;
            const outcome = past ? faker.number.int({ min: 0, max: 99 }) : -1;
            // The demo's morning has happened: visits over by now are done, one under way has arrived.
            const live = size === "demo" && !past ? (start + minutes * 60_000 <= now.getTime() ? "completed" : start <= now.getTime() ? "checked_in" : null) : null;
            rows.push({
              id: id(),
              organizationId: orgId,
              locationId,
              patientId: faker.helpers.arrayElement(patientIds),
              providerId: userId,
              serviceId: serviceIds[serviceIndex],
              roomId: null,
              status: live ?? (outcome < 0 ? "confirmed" : outcome < 90 ? "completed" : outcome < 96 ? "cancelled" : "no_show"),
              startsAt: new Date(start),
              endsAt: new Date(start + minutes * 60_000),
              blockStart: new Date(start),
              blockEnd: new Date(start + (minutes + 5) * 60_000),
              priceCents: SERVICE_PLAN[serviceIndex].priceCents,
              createdAt: past ? new Date(start - 14 * 86_400_000) : now,
            });
          }
        }
        for (let i = 0; i < rows.length; i += 500) await db.insert(appointments).values(rows.slice(i, i + 500));
        summary.appointments += rows.length;
      }
    }
    // The demo's records read like a real clinic's: allergies, medications, notes, preferred names.
    if (size === "demo" && o.slug === "lumen") {
      const [author] = await db.select({ id: users.id }).from(users).where(eq(users.email, `frontdesk@${o.domain}`));
      await seedRecordDetails(db, orgId, author.id, now);
      await seedSignedConsents(db, orgId);
    }
  }

  await seedOrganization({ name: "Lumen Aesthetics", slug: "lumen", domain: "lumen.example", locations: LOCATIONS.slice(0, plan.locations), providers: plan.providers, patients: plan.patients, roomsPerLocation: plan.roomsPerLocation });
  // A second, unrelated clinic, so tenancy can be seen (and tested) from the first day.
  await seedOrganization({
    name: "Harbor Skin Clinic",
    slug: "harbor",
    domain: "harbor.example",
    locations: [{ name: "Harbor Seaport", retailTax: 6250, timeZone: "America/New_York", city: "Boston", region: "MA", postalCode: "02210", address: "88 Seaport Blvd", phone: "(617) 555-0150" }],
    providers: 2,
    patients: size === "test" ? 10 : 150,
    roomsPerLocation: 3,
    // Medical directors often oversee several clinics: the same person, one sign-in, two memberships.
    medicalDirectorEmail: "md@lumen.example",
  });
  return summary;
}

export async function isDatabaseEmpty(db: Db) {
  const rows = await db.select({ id: organizations.id }).from(organizations).limit(1);
  return rows.length === 0;
}
