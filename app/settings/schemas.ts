import { z } from "zod";
import { calendarDate } from "../lib/calendar-date";
import { ROOM_TYPES, STAFF_ROLES } from "../../db/schema";
import { EmailSchema } from "../auth/schemas";
import { PhoneSchema } from "../patients/schemas";

const text = (label: string, max = 120) =>
  z.string({ required_error: `Enter the ${label}.` }).trim().min(1, `Enter the ${label}.`).max(max, `Use at most ${max} characters for the ${label}.`);

export function isValidTimeZone(tz: string) {
  if (tz === "UTC") return true;
  try {
    return Intl.supportedValuesOf("timeZone").includes(tz);
  } catch {
    return false;
  }
}

export const OrganizationSchema = z.object({
  name: text("clinic name"),
  phone: PhoneSchema.optional(),
  email: EmailSchema.optional(),
  website: z.string().trim().max(200).url("Enter a full web address, like https://clinic.example.").optional(),
  staffIdleMinutes: z.coerce.number({ invalid_type_error: "Enter a number of minutes." }).int().min(5, "At least 5 minutes.").max(240, "At most 240 minutes."),
  patientIdleMinutes: z.coerce.number({ invalid_type_error: "Enter a number of minutes." }).int().min(5, "At least 5 minutes.").max(240, "At most 240 minutes."),
  mfaRequiredForAllStaff: z.boolean().default(false),
});

export const LocationSchema = z.object({
  name: text("location name", 80),
  timeZone: z.string({ required_error: "Choose the time zone." }).max(64).refine(isValidTimeZone, "Choose a time zone from the list."),
  addressLine1: text("street address", 160),
  addressLine2: z.string().trim().max(160).optional(),
  city: text("city", 80),
  region: text("state or region", 80),
  postalCode: text("postal code", 20),
  country: z.string().trim().length(2, "Use the two-letter country code, like US.").toUpperCase().default("US"),
  phone: PhoneSchema,
});

export const RoomSchema = z.object({
  name: text("room name", 60),
  roomType: z.enum(ROOM_TYPES, { errorMap: () => ({ message: "Choose a room type from the list." }) }),
});

export const RoomUpdateSchema = RoomSchema.extend({ roomId: z.string().max(64), active: z.boolean().default(false) });

export const InviteStaffSchema = z.object({
  name: text("name", 100),
  email: EmailSchema,
  role: z.enum(STAFF_ROLES, { errorMap: () => ({ message: "Choose a role from the list." }) }),
  locationIds: z.array(z.string().max(64)).min(1, "Choose at least one location.").max(50),
});

export const UpdateStaffSchema = z.object({
  role: z.enum(STAFF_ROLES, { errorMap: () => ({ message: "Choose a role from the list." }) }),
  locationIds: z.array(z.string().max(64)).min(1, "Choose at least one location.").max(50),
});

/** "450" or "450.5" or "450.50" dollars → integer cents, without floating point. */
/** Dollars as typed ("450", "450.5", "450.50") → cents; anything else (negative, fractions of a cent) → `message`. */
export const moneyField = (message: string) =>
  z
    .string({ required_error: message })
    .trim()
    .regex(/^\d{1,6}(\.\d{1,2})?$/, message)
    .transform((v) => {
      const [whole, frac = ""] = v.split(".");
      return Number(whole) * 100 + Number(frac.padEnd(2, "0"));
    });

export const MoneySchema = moneyField("Enter an amount like 450 or 450.00.");

const minutes = (label: string, min: number, max: number) =>
  z.coerce.number({ invalid_type_error: `Enter the ${label} in minutes.` }).int(`Use whole minutes for the ${label}.`).min(min, `The ${label} is at least ${min} minutes.`).max(max, `The ${label} is at most ${max} minutes.`);

export const ServiceSchema = z.object({
  name: text("service name", 100),
  category: text("category", 60),
  description: z.string().trim().max(500, "Keep the description under 500 characters.").default(""),
  durationMinutes: minutes("duration", 5, 480),
  bufferBeforeMinutes: minutes("set-up time", 0, 120).default(0),
  bufferAfterMinutes: minutes("clean-up time", 0, 120).default(0),
  price: MoneySchema,
  deposit: MoneySchema.optional(),
  roomType: z.enum(ROOM_TYPES, { errorMap: () => ({ message: "Choose a room type from the list." }) }).optional(),
  onlineBookable: z.boolean().default(false),
  autoConfirm: z.boolean().default(false),
  newPatientsAllowed: z.boolean().default(false),
  intakeFormRequired: z.boolean().default(false),
  billedByProduct: z.boolean().default(false),
  hsaEligible: z.boolean().default(false),
  cardRequired: z.boolean().default(false),
  procedureCode: z.string().trim().toUpperCase().regex(/^[A-Z0-9]{5}$/, "Enter a 5-character CPT or HCPCS code, like 64612 or J0585.").optional(),
  diagnosisCode: z.string().trim().toUpperCase().regex(/^[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$/, "Enter an ICD-10 code, like L74.510.").optional(),
  active: z.boolean().default(false),
  providerIds: z.array(z.string().max(64)).max(200).default([]),
});

const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "Use a time like 09:00.");
const toMinutes = (v: string) => Number(v.slice(0, 2)) * 60 + Number(v.slice(3));

export const ShiftSchema = z
  .object({
    locationId: z.string({ required_error: "Choose a location." }).max(64),
    weekday: z.coerce.number().int().min(1, "Choose a day.").max(7, "Choose a day."),
    start: clock,
    end: clock,
    effectiveFrom: calendarDate("Use a real date like 2026-12-01."),
    effectiveTo: calendarDate("Use a real date like 2027-06-30.").optional(),
  })
  .transform((v) => ({ ...v, startMinute: toMinutes(v.start), endMinute: toMinutes(v.end) }))
  .refine((v) => v.endMinute > v.startMinute, { path: ["end"], message: "The shift must end after it starts." })
  .refine((v) => !v.effectiveTo || v.effectiveTo >= v.effectiveFrom, { path: ["effectiveTo"], message: "The end date must be on or after the start date." });

export const TimeOffSchema = z
  .object({
    date: calendarDate("Use a real date like 2026-12-24.", "Choose the day."),
    start: clock.optional(),
    end: clock.optional(),
    reason: z.string().trim().max(120).optional(),
  })
  .refine((v) => (v.start === undefined) === (v.end === undefined), { path: ["end"], message: "Give both a start and an end, or neither for the whole day." })
  .refine((v) => !v.start || !v.end || toMinutes(v.end) > toMinutes(v.start), { path: ["end"], message: "The time off must end after it starts." });

const wholeNumber = (label: string, unit: string, min: number, max: number) =>
  z.coerce.number({ invalid_type_error: `Enter the ${label} in ${unit}.` }).int(`Use whole ${unit} for the ${label}.`).min(min, `The ${label} is at least ${min} ${unit}.`).max(max, `The ${label} is at most ${max} ${unit}.`);

export const SLOT_INTERVALS = [5, 10, 15, 20, 30, 60] as const;

/** A location's booking rules: the start-time grid, notice, horizon, self-service cut-off, reminders. */
export const BookingRulesSchema = z.object({
  slotIntervalMinutes: z.coerce.number().refine((v) => (SLOT_INTERVALS as readonly number[]).includes(v), "Choose a start-time grid from the list."),
  minNoticeMinutes: wholeNumber("minimum notice", "minutes", 0, 10_080),
  maxAdvanceDays: wholeNumber("booking horizon", "days", 1, 365),
  selfServiceCutoffHours: wholeNumber("self-service cut-off", "hours", 0, 168),
  reminderHours: z
    .string({ required_error: "Enter when reminders go out, like 24,2." })
    .trim()
    .regex(/^\d{1,3}(\s*,\s*\d{1,3}){0,2}$/, "Enter up to three whole hours separated by commas, like 24,2.")
    .transform((v) => [...new Set(v.split(",").map((h) => Number(h.trim())))].sort((a, b) => b - a))
    .refine((hours) => hours.every((h) => h >= 1 && h <= 336), "Each reminder is between 1 and 336 hours (14 days) before the visit.")
    .transform((hours) => hours.join(",")),
});

/** The location is closed all day (a holiday): nobody there is bookable. */
export const ClosureSchema = z.object({
  date: calendarDate("Use a real date like 2026-12-25.", "Choose the day."),
  reason: z.string().trim().max(120).optional(),
});

/** A provider works extra hours at a location on one day. */
export const ExtraHoursSchema = z
  .object({
    locationId: z.string({ required_error: "Choose a location." }).max(64),
    date: calendarDate("Use a real date like 2026-12-20.", "Choose the day."),
    start: clock,
    end: clock,
    reason: z.string().trim().max(120).optional(),
  })
  .refine((v) => toMinutes(v.end) > toMinutes(v.start), { path: ["end"], message: "The extra hours must end after they start." });

const optionalMinutes = z.preprocess((v) => (v === "" ? undefined : v), minutes("duration", 5, 480).optional());
const optionalMoney = z.preprocess((v) => (v === "" ? undefined : v), MoneySchema.optional());

/** Per-provider duration and price for one service; blank means the service's own. */
export const ProviderOverridesSchema = z.object({
  overrides: z.array(z.object({ userId: z.string().max(64), durationMinutes: optionalMinutes, price: optionalMoney })).max(200).default([]),
});
