import { z } from "zod";
import { EmailSchema } from "../auth/schemas";
import { ALLERGY_SEVERITIES, HEALTH_ITEM_KINDS, SEXES_AT_BIRTH } from "../../db/schema/patients";
import { DateOfBirthSchema, PhoneSchema, personName } from "./schemas";

/** Optional free text: blank means "not given", and nothing longer than a form could sensibly hold. */
const optionalText = (label: string, max = 120) => z.string().trim().max(max, `Use at most ${max} characters for the ${label}.`).optional();

/** Everything the desk edits on the Details tab, posted as one form. */
export const PatientDetailsSchema = z.object({
  firstName: personName("first name"),
  lastName: personName("last name"),
  preferredName: optionalText("preferred name", 80),
  pronouns: optionalText("pronouns", 40),
  sexAtBirth: z.enum(SEXES_AT_BIRTH, { errorMap: () => ({ message: "Choose one of the listed options." }) }).optional(),
  dateOfBirth: DateOfBirthSchema,
  email: EmailSchema.optional(),
  phone: PhoneSchema.optional(),
  smsConsent: z.boolean().default(false),
  emailConsent: z.boolean().default(false),
  addressLine1: optionalText("street address"),
  addressLine2: optionalText("second address line"),
  city: optionalText("city", 80),
  region: optionalText("state or region", 80),
  postalCode: optionalText("postal code", 20),
  country: optionalText("country", 80),
  emergencyName: optionalText("emergency contact's name", 120),
  emergencyRelationship: optionalText("relationship", 60),
  emergencyPhone: PhoneSchema.optional(),
});

/** One allergy, medication or condition added to the patient's lists. */
export const HealthItemSchema = z.object({
  kind: z.enum(HEALTH_ITEM_KINDS, { errorMap: () => ({ message: "Choose allergy, medication, condition or contraindication." }) }),
  name: z.string({ required_error: "Enter what it is." }).trim().min(1, "Enter what it is.").max(120, "Use at most 120 characters."),
  detail: optionalText("detail", 300),
  severity: z.enum(ALLERGY_SEVERITIES, { errorMap: () => ({ message: "Choose mild, moderate or severe." }) }).optional(),
  alert: z.boolean().default(false),
});

export const NoteSchema = z.object({
  body: z.string({ required_error: "Write the note first." }).trim().min(1, "Write the note first.").max(4000, "Keep a note under 4,000 characters."),
  pinned: z.boolean().default(false),
});

export const PatientMessageSchema = z.object({
  channel: z.enum(["sms", "email"], { errorMap: () => ({ message: "Choose text or email." }) }),
  subject: optionalText("subject", 150),
  body: z.string({ required_error: "Write the message first." }).trim().min(1, "Write the message first.").max(1600, "Keep a message under 1,600 characters."),
});

export const MergeSchema = z.object({
  duplicateId: z.string({ required_error: "Choose the record to merge into this one." }).min(1, "Choose the record to merge into this one.").max(64),
  confirm: z.literal(true, { errorMap: () => ({ message: "Tick the box to confirm these are the same person." }) }),
});
