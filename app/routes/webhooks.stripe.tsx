import type { ActionFunctionArgs } from "@remix-run/node";
import { audit } from "~/audit/audit.server";
import { stripeGateway } from "~/payments/stripe-gateway.server";
import { handleStripeEvent } from "~/payments/webhook.server";

/** Stripe's events larger than this are not ones we subscribe to. */
const MAX_BODY = 256 * 1024;

export async function loader() {
  return new Response("Not found", { status: 404 });
}

/**
 * Stripe's webhooks (ADR 034): the signature over the raw body is verified first (a 5-minute
 * tolerance on its timestamp), then the event is handled once by its id. Everything it does is a
 * few local writes, so Stripe gets its 2xx at once.
 */
export async function action({ request, context }: ActionFunctionArgs) {
  const gateway = stripeGateway(context.env);
  if (!gateway) return new Response("Not found", { status: 404 });
  const signature = request.headers.get("stripe-signature");
  const raw = await request.text();
  if (!signature || raw.length > MAX_BODY) return refuse(context, "missing_signature");
  let event;
  try {
    event = await gateway.verifyEvent(raw, signature);
  } catch {
    return refuse(context, "bad_signature");
  }
  const handled = await handleStripeEvent(context, gateway, event);
  return Response.json({ received: true, duplicate: handled.duplicate, outcome: handled.outcome }, { headers: { "cache-control": "no-store" } });
}

async function refuse(context: ActionFunctionArgs["context"], reason: string) {
  await audit(context, { action: "webhook.stripe", outcome: "denied", reason });
  return new Response("Invalid signature", { status: 400 });
}
