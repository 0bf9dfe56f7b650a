import type { AppLoadContext } from "@remix-run/node";
import type { AppContext } from "./context.server";
import { applySecurityHeaders, crossOriginResponse, isCrossOriginMutation, isUnreadableSubmission, unreadableSubmissionResponse } from "./security.server";
import { isHttpsOrigin, isServedHost, misdirectedResponse } from "./origin";
import { claimSubmission, releaseSubmission, settleSubmission } from "./submission-replay.server";

type RemixHandler = (request: Request, context: AppLoadContext) => Promise<Response>;

/**
 * Shared by the Node server and the Worker: refuse cross-origin mutations before any
 * action runs, then stamp security headers on whatever Remix answers.
 */
export async function handleAppRequest(remix: RemixHandler, request: Request, context: AppContext, queuedMs = 0): Promise<Response> {
  const started = performance.now();
  const https = isHttpsOrigin(context.env);
  // Provider webhooks and mail apps' one-click unsubscribe (RFC 8058) come from other origins by
  // design; each verifies a signature (the provider's, or the link's HMAC) and can do only that one thing.
  const path = new URL(request.url).pathname;
  const isWebhook = path.startsWith("/webhooks/") || path.startsWith("/unsubscribe/");
  if (!isServedHost(context.env, request.url)) {
    context.logger.warn("unserved_host_rejected", { path });
    const res = misdirectedResponse();
    applySecurityHeaders(res.headers, { https });
    return res;
  }
  if (!isWebhook && isCrossOriginMutation(request, context.origin)) {
    context.logger.warn("cross_origin_mutation_rejected", { path: new URL(request.url).pathname });
    const res = crossOriginResponse();
    applySecurityHeaders(res.headers, { https });
    return res;
  }
  if (!isWebhook && isUnreadableSubmission(request)) {
    const res = unreadableSubmissionResponse();
    applySecurityHeaders(res.headers, { https });
    return res;
  }
  // A submission sent again after a network failure gets its first answer, not a second run.
  const claim = await claimSubmission(context, request);
  let response: Response;
  if (claim && "replay" in claim) response = claim.replay;
  else {
    try {
      response = await remix(request, context as unknown as AppLoadContext);
    } catch (error) {
      if (claim) await releaseSubmission(context, claim);
      throw error;
    }
    if (claim) response = await settleSubmission(context, claim, response);
  }
  // Deny by default: nothing Remix renders is cacheable unless a route says otherwise.
  // (Static assets are served before Remix and keep their long-lived caching.)
  const cacheable = response.headers.has("cache-control") && !response.headers.get("cache-control")?.includes("no-store");
  const out = new Response(response.body, response);
  // Time spent producing the response, and (Node) time waiting at the admission gate before that.
  out.headers.set("Server-Timing", `app;dur=${(performance.now() - started).toFixed(1)}${queuedMs ? `, queue;dur=${queuedMs.toFixed(1)}` : ""}`);
  applySecurityHeaders(out.headers, { nonce: context.nonce, https, partyOrigin: context.env.PARTY_URL, stripe: Boolean(context.env.STRIPE_PUBLISHABLE_KEY) });
  if (!cacheable) out.headers.set("Cache-Control", "no-store");
  // A busy database (app/lib/busy.ts): tell clients when to try again (Remix drops a thrown response's headers).
  if (out.status === 503 && !out.headers.has("retry-after")) out.headers.set("Retry-After", "2");
  return out;
}
