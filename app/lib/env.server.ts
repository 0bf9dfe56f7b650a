import { z } from "zod";

/** The environment, validated once per process (Node) or per isolate (Worker). */
const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z.string().min(1),
  DATABASE_AUTH_TOKEN: z.string().optional(),
  SESSION_SECRET: z.string().min(32, "SESSION_SECRET must be at least 32 characters"),
  /** Public origin when behind a proxy that rewrites Host; otherwise the request's own origin is used. */
  APP_ORIGIN: z.string().url().optional(),
  PARTY_URL: z.string().url().optional(),
  PARTY_SECRET: z.string().optional(),
  FILES_DIR: z.string().optional(),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
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
