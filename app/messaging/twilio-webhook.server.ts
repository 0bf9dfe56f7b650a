import { and, sql } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import type { AppContext } from "../lib/context.server";
import { auditEvents, messages, patients } from "../../db/schema";

/**
 * Twilio signs webhooks: base64(HMAC-SHA1(auth token, full URL + each POST param name and
 * value, sorted by name)), in X-Twilio-Signature.
 */
export async function twilioSignature(authToken: string, url: string, params: Record<string, string>) {
  const data = url + Object.keys(params).sort().map((k) => k + params[k]).join("");
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(authToken), { name: "HMAC", hash: "SHA-1" }, false, ["sign"]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(data)));
  return btoa(String.fromCharCode(...mac));
}

const STOP = new Set(["STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"]);
const START = new Set(["START", "UNSTOP", "YES"]);

export function consentChange(body: string): boolean | null {
  const word = body.trim().toUpperCase();
  if (STOP.has(word)) return false;
  if (START.has(word)) return true;
  return null;
}

/**
 * Applies a STOP/START reply to the patients with that mobile number in the organizations that
 * texted it: a reply answers the clinic that wrote, not every clinic on Atrium that happens to have
 * the number on file. Returns the patients changed.
 */
export async function applySmsConsent(ctx: AppContext, from: string, consent: boolean) {
  const digits = from.replace(/\D/g, "").slice(-10);
  if (digits.length < 10) return [];
  const last10 = (column: SQLiteColumn) => sql`substr(replace(replace(replace(replace(replace(${column}, '(', ''), ')', ''), '-', ''), ' ', ''), '+', ''), -10)`;
  const texted = sql`select ${messages.organizationId} from ${messages} where ${messages.channel} = 'sms' and ${last10(messages.toAddress)} = ${digits}`;
  const matching = and(sql`${last10(patients.phone)} = ${digits}`, sql`${patients.organizationId} in (${texted})`);
  // The consent change and an audit event per patient it changes, in one batch.
  const [, rows] = (await ctx.db.batch([
    ctx.db.run(sql`insert into ${auditEvents} (organization_id, action, entity_type, entity_id, outcome, reason, ip, user_agent, created_at)
      select ${patients.organizationId}, ${consent ? "patient.sms_opt_in" : "patient.sms_opt_out"}, 'patient', ${patients.id}, 'allowed', 'sms_reply', ${ctx.ip}, ${ctx.userAgent}, ${ctx.clock.now().getTime()}
      from ${patients} where ${matching}`),
    ctx.db.update(patients).set({ smsConsent: consent }).where(matching).returning({ id: patients.id, organizationId: patients.organizationId }),
  ])) as unknown as [unknown, { id: string; organizationId: string }[]];
  return rows;
}
