import { z } from "zod";

/** The environment, validated once per process (Node) or per isolate (Worker). */
const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z.string().min(1),
  DATABASE_AUTH_TOKEN: z.string().optional(),
  SESSION_SECRET: z.string().min(32, "SESSION_SECRET must be at least 32 characters"),
  /** Public origin when behind a proxy that rewrites Host; otherwise the request's own origin is used. */
  /** The public origin every link is built from (the Node server defaults it to http://localhost:PORT). */
  APP_ORIGIN: z.string().url().transform((v) => new URL(v).origin).optional(),
  /** Host names served besides APP_ORIGIN's, comma-separated; default: localhost, 127.0.0.1, [::1]. */
  APP_HOSTS: z.string().optional(),
  PARTY_URL: z.string().url().optional(),
  PARTY_SECRET: z.string().optional(),
  FILES_DIR: z.string().optional(),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
  EMAIL_PROVIDER: z.enum(["local", "smtp", "sendgrid"]).default("local"),
  /** smtp://user:pass@host:587 or smtps://user:pass@host:465, when EMAIL_PROVIDER=smtp. */
  SMTP_URL: z.string().url().optional(),
  EMAIL_FROM: z.string().default("Atrium <no-reply@atrium.local>"),
  SENDGRID_API_KEY: z.string().optional(),
  SENDGRID_API_URL: z.string().url().optional(),
  SMS_PROVIDER: z.enum(["local", "twilio"]).default("local"),
  TWILIO_ACCOUNT_SID: z.string().optional(),
  TWILIO_AUTH_TOKEN: z.string().optional(),
  TWILIO_FROM: z.string().optional(),
  TWILIO_API_URL: z.string().url().optional(),
  /** Stripe (ADR 034): without a secret key, card payments are recorded as taken on the clinic's own terminal. */
  STRIPE_SECRET_KEY: z.string().regex(/^(sk|rk)_(test|live)_\w+$/, "a Stripe secret key (sk_test_…, sk_live_… or rk_…)").optional(),
  STRIPE_PUBLISHABLE_KEY: z.string().regex(/^pk_(test|live)_\w+$/, "a Stripe publishable key (pk_test_… or pk_live_…)").optional(),
  STRIPE_WEBHOOK_SECRET: z.string().regex(/^whsec_\w+$/, "a webhook signing secret (whsec_…)").optional(),
  /** Only for tests: a local fake of Stripe's API (http://127.0.0.1:port). */
  STRIPE_API_URL: z.string().url().optional(),
}).superRefine((env, issue) => {
  if (env.EMAIL_PROVIDER === "smtp" && !env.SMTP_URL) issue.addIssue({ code: "custom", path: ["SMTP_URL"], message: "required when EMAIL_PROVIDER=smtp" });
  if (env.EMAIL_PROVIDER === "sendgrid" && !env.SENDGRID_API_KEY) issue.addIssue({ code: "custom", path: ["SENDGRID_API_KEY"], message: "required when EMAIL_PROVIDER=sendgrid" });
  if (env.STRIPE_SECRET_KEY) {
    for (const key of ["STRIPE_PUBLISHABLE_KEY", "STRIPE_WEBHOOK_SECRET"] as const) if (!env[key]) issue.addIssue({ code: "custom", path: [key], message: "required with STRIPE_SECRET_KEY" });
  }
  if (env.SMS_PROVIDER === "twilio") {
    for (const key of ["TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_FROM"] as const) if (!env[key]) issue.addIssue({ code: "custom", path: [key], message: "required when SMS_PROVIDER=twilio" });
  }
});

export type AppEnv = z.infer<typeof EnvSchema>;

export function parseEnv(source: Record<string, unknown>): AppEnv {
  const result = EnvSchema.safeParse(source);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`Invalid environment: ${problems}`);
  }
  return result.data;
}
