import { z } from "zod";
import { safeRedirectPath } from "../lib/safe-redirect";

/** Shared by the server and the browser (Conform validates on both; the server is the authority). */
export const EmailSchema = z
  .string({ required_error: "Enter your email address." })
  .trim()
  .max(254, "That email address is too long.")
  .email("Enter a valid email address, like name@example.com.")
  .transform((v) => v.toLowerCase());

export const NewPasswordSchema = z
  .string({ required_error: "Choose a password." })
  .min(12, "Use at least 12 characters.")
  .max(200, "Use at most 200 characters.");

/** Only paths on our own origin (see app/lib/safe-redirect.ts); anything else is dropped. */
export const SafeRedirectSchema = z
  .string()
  .optional()
  .transform((v) => safeRedirectPath(v) ?? undefined);

export const LoginSchema = z.object({
  email: EmailSchema,
  password: z.string({ required_error: "Enter your password." }).max(200, "That password is too long."),
  redirectTo: SafeRedirectSchema,
});

export const MfaCodeSchema = z.object({
  code: z
    .string({ required_error: "Enter the 6-digit code from your authenticator app, or a recovery code." })
    .trim()
    .max(20, "That code is too long."),
});

export const ForgotPasswordSchema = z.object({ email: EmailSchema });

export const SetPasswordSchema = z
  .object({
    token: z.string({ required_error: "This link is missing its token." }).max(100),
    password: NewPasswordSchema,
    confirm: z.string({ required_error: "Type the password again." }).max(200),
  })
  .refine((v) => v.password === v.confirm, { path: ["confirm"], message: "The two passwords do not match." });

export const ChangePasswordSchema = z
  .object({
    current: z.string({ required_error: "Enter your current password." }).max(200),
    password: NewPasswordSchema,
    confirm: z.string({ required_error: "Type the new password again." }).max(200),
  })
  .refine((v) => v.password === v.confirm, { path: ["confirm"], message: "The two passwords do not match." });

export const AcceptWithPasswordSchema = z.object({
  token: z.string({ required_error: "This link is missing its token." }).max(100),
  password: z.string({ required_error: "Enter your password." }).max(200, "That password is too long."),
});
