import type { ActionFunctionArgs } from "@remix-run/node";
import { audit } from "~/audit/audit.server";
import { timingSafeEqual } from "~/auth/password.server";
import { applySmsConsent, consentChange, twilioSignature } from "~/messaging/twilio-webhook.server";

const TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';

export async function loader() {
  return new Response("Not found", { status: 404 });
}

/** Inbound texts from Twilio: STOP (and START) replies change the patient's SMS consent. */
export async function action({ request, context }: ActionFunctionArgs) {
  const token = context.env.TWILIO_AUTH_TOKEN;
  if (context.env.SMS_PROVIDER !== "twilio" || !token) return new Response("Not found", { status: 404 });
  const params = Object.fromEntries([...(await request.formData())].map(([k, v]) => [k, String(v)]));
  const url = new URL(new URL(request.url).pathname, context.origin).toString();
  const expected = new TextEncoder().encode(await twilioSignature(token, url, params));
  const given = new TextEncoder().encode(request.headers.get("x-twilio-signature") ?? "");
  if (!timingSafeEqual(expected, given)) {
    await audit(context, { action: "webhook.twilio", outcome: "denied", reason: "bad_signature" });
    return new Response("Invalid signature", { status: 403 });
  }
  const consent = consentChange(params.Body ?? "");
  if (consent !== null && params.From) {
    // Audited with the change, per patient (see applySmsConsent).
    await applySmsConsent(context, params.From, consent);
  }
  return new Response(TWIML, { headers: { "content-type": "text/xml" } });
}
