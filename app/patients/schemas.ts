import { z } from "zod";
import { isCalendarDate } from "../lib/calendar-date";
import { EmailSchema } from "../auth/schemas";

/** A person's name field: letters, spaces, apostrophes and hyphens, 80 characters at most. */
export const personName = (label: string) =>
  z
    .string({ required_error: `Enter the ${label}.` })
    .trim()
    .min(1, `Enter the ${label}.`)
    .max(80, `Use at most 80 characters for the ${label}.`)
    .regex(/^[\p{L}\p{M}' .-]+$/u, `Use letters, spaces, apostrophes and hyphens for the ${label}.`);

export const PhoneSchema = z
  .string()
  .trim()
  .max(30, "That phone number is too long.")
  .regex(/^\+?[0-9 ().-]{7,30}$/, "Enter a phone number with digits, like (212) 555-0142.");

export const DateOfBirthSchema = z
  .string({ required_error: "Enter the date of birth." })
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Enter the date of birth as YYYY-MM-DD.")
  .refine((v) => isCalendarDate(v) && Date.parse(`${v}T00:00:00Z`) <= Date.now(), "Enter a real date of birth in the past.");

export const NewPatientSchema = z.object({
  firstName: personName("first name"),
  lastName: personName("last name"),
  dateOfBirth: DateOfBirthSchema,
  email: EmailSchema.optional(),
  phone: PhoneSchema.optional(),
  smsConsent: z.boolean().default(false),
  emailConsent: z.boolean().default(false),
});

export const PatientContactSchema = z.object({
  email: EmailSchema.optional(),
  phone: PhoneSchema.optional(),
  smsConsent: z.boolean().default(false),
  emailConsent: z.boolean().default(false),
});

export const PatientSearchSchema = z.object({
  /** The search, sealed for this session (app/patients/search-param.server.ts). */
  s: z.string().max(400).optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
});
