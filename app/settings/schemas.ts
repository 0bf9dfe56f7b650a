import { z } from "zod";
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
