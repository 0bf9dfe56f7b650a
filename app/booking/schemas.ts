import { EmailSchema, NewPasswordSchema } from "../auth/schemas";
import { DateOfBirthSchema, NewPatientSchema, PhoneSchema } from "../patients/schemas";

/** A new patient signs up inside the booking flow: the patient record and a portal account at once. */
export const RegistrationSchema = NewPatientSchema.omit({ email: true, phone: true }).extend({
  email: EmailSchema,
  phone: PhoneSchema,
  dateOfBirth: DateOfBirthSchema,
  password: NewPasswordSchema,
});

