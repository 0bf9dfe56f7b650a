import type { HeadersFunction } from "@remix-run/node";
import { and, eq, lt } from "drizzle-orm";
import { submissionReplays } from "../../db/schema";
import type { AppContext } from "./context.server";

/**
 * A submission the page sends again after the network failed in flight carries the key of its
 * first attempt (`Atrium-Submission`, made by app/pwa/submission-retry.client.ts). If that first
 * attempt reached us, the retry gets the first answer again instead of running the action twice
 * (ADR 016). Answers that could not have written anything (4xx/5xx, by our no-half-writes rule)
 * are not kept, so a retry of those simply runs; nor are answers that set cookies (sign-in, the
 * public booking flow), which must never be stored.
 */
export const SUBMISSION_HEADER = "atrium-submission";
/**
 * An action whose answer carries a secret (recovery codes, a private link) says so with this
 * header: the answer goes to the person once and is never kept (a retry runs the action again).
 */
export const SECRET_ANSWER_HEADER = "atrium-secret-answer";
export const SECRET_ANSWER = { [SECRET_ANSWER_HEADER]: "1" } as const;
/** The route's `headers` export, so the action's marker reaches the response (Remix passes on only what this returns). */
export const secretAnswerHeaders: HeadersFunction = ({ actionHeaders }) => {
  const headers = new Headers();
  if (actionHeaders.has(SECRET_ANSWER_HEADER)) headers.set(SECRET_ANSWER_HEADER, "1");
  return headers;
};
export const SUBMISSION_KEEP_MS = 24 * 60 * 60 * 1000;
const KEY = /^[A-Za-z0-9-]{16,64}$/;
const MAX_KEPT_BODY = 64 * 1024;
/** No action takes this long; a claim this old belongs to a server that stopped mid-action. */
const ABANDONED_AFTER_MS = 60_000;
// What a replayed answer needs to mean the same thing to Remix's client and to the browser.
const KEPT_HEADERS = ["content-type", "location", "x-remix-response", "x-remix-redirect", "x-remix-status", "x-remix-revalidate", "x-remix-reload-document", "x-remix-replace"];

type Ctx = Pick<AppContext, "db" | "clock">;
export type ReplayClaim = { replay: Response } | { key: string; scope: string } | null;

/** Before the action: the kept answer, a "still working on it", or a claim on the key. */
export async function claimSubmission(ctx: Ctx, request: Request): Promise<ReplayClaim> {
  const key = request.headers.get(SUBMISSION_HEADER);
  if (!key || request.method === "GET" || request.method === "HEAD") return null;
  if (!KEY.test(key)) return { replay: new Response("That submission's key could not be read.", { status: 400, headers: { "content-type": "text/plain" } }) };
  const scope = await scopeOf(request);
  const now = ctx.clock.now();
  const inserted = await ctx.db.insert(submissionReplays).values({ key, scope, state: "pending", createdAt: now }).onConflictDoNothing().returning({ key: submissionReplays.key });
  if (inserted.length) return { key, scope };
  const [seen] = await ctx.db.select().from(submissionReplays).where(eq(submissionReplays.key, key));
  if (!seen || seen.scope !== scope) return { replay: new Response("That submission's key belongs to someone else.", { status: 409, headers: { "content-type": "text/plain" } }) };
  const age = now.getTime() - seen.createdAt.getTime();
  if (age > SUBMISSION_KEEP_MS || (seen.state === "pending" && age > ABANDONED_AFTER_MS)) {
    // Forgotten, or claimed by a run that never finished (the server stopped mid-action): run it.
    await ctx.db.update(submissionReplays).set({ state: "pending", status: null, headers: null, body: null, createdAt: now }).where(eq(submissionReplays.key, key));
    return { key, scope };
  }
  if (seen.state === "pending") return { replay: new Response("That submission is still being processed.", { status: 409, headers: { "content-type": "text/plain", [SUBMISSION_HEADER]: "pending" } }) };
  const headers = new Headers(seen.headers ?? []);
  headers.set(SUBMISSION_HEADER, "replayed");
  return { replay: new Response(seen.body, { status: seen.status ?? 200, headers }) };
}

/** After the action: keep an answer worth replaying, or let the key go. Returns the answer to send. */
export async function settleSubmission(ctx: Ctx, claim: { key: string; scope: string }, response: Response): Promise<Response> {
  const keep = response.status < 400 && !response.headers.has("set-cookie") && !response.headers.has(SECRET_ANSWER_HEADER);
  const body = keep && response.body ? await response.text() : null;
  if (!keep || (body && body.length > MAX_KEPT_BODY)) {
    await releaseSubmission(ctx, claim);
    return body === null ? response : new Response(body, response);
  }
  const headers = KEPT_HEADERS.flatMap((name) => {
    const value = response.headers.get(name);
    return value === null ? [] : [[name, value] as [string, string]];
  });
  await ctx.db.update(submissionReplays).set({ state: "done", status: response.status, headers, body }).where(eq(submissionReplays.key, claim.key));
  return new Response(body, response);
}

/** The action failed before answering: a retry may run it. */
export async function releaseSubmission(ctx: Ctx, claim: { key: string }) {
  await ctx.db.delete(submissionReplays).where(and(eq(submissionReplays.key, claim.key), eq(submissionReplays.state, "pending")));
}

/** The job forgets kept answers after a day. */
export async function purgeSubmissionReplays(ctx: Ctx) {
  const cutoff = new Date(ctx.clock.now().getTime() - SUBMISSION_KEEP_MS);
  const gone = await ctx.db.delete(submissionReplays).where(lt(submissionReplays.createdAt, cutoff)).returning({ key: submissionReplays.key });
  return gone.length;
}

/** Whose submission: the session cookie, hashed (never stored as is); the anonymous share one scope. */
async function scopeOf(request: Request) {
  const cookie = /(?:^|;\s*)atrium_session=([^;]*)/.exec(request.headers.get("cookie") ?? "")?.[1];
  if (!cookie) return "anonymous";
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(cookie));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}
