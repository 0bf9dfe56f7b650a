import { hashPassword, PASSWORD_ITERATIONS, verifyPassword } from "../app/auth/password.server";
import { percentile } from "./large-data";

/**
 * sign-in-cpu: CPU time of the password check one sign-in makes (PBKDF2-HMAC-SHA256 through
 * WebCrypto, 100,000 iterations), measured with the process's CPU clock. It is the bulk of a
 * sign-in's CPU and decides the Cloudflare plan (README: Deploying to Cloudflare Workers): the
 * Free plan allows 10 ms of CPU per request, the paid plans 30 s by default.
 */
export async function benchSignInCpu(rounds = 60) {
  const stored = await hashPassword("correct horse battery staple");
  for (let i = 0; i < 5; i++) await verifyPassword("correct horse battery staple", stored);
  const samples: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const before = process.cpuUsage();
    await verifyPassword("correct horse battery staple", stored);
    const used = process.cpuUsage(before);
    samples.push((used.user + used.system) / 1000);
  }
  samples.sort((a, b) => a - b);
  return { name: "sign-in-cpu", p50: percentile(samples, 0.5), p95: percentile(samples, 0.95), iterations: PASSWORD_ITERATIONS, freePlanLimitMs: 10 };
}
