import { data, redirect } from "@remix-run/node";
import { z } from "zod";
import type { AppContext } from "../lib/context.server";
import type { AuditActor } from "../audit/audit.server";
import { audit } from "../audit/audit.server";
import { NO_STORE } from "../lib/forms.server";
import { SECRET_ANSWER } from "../lib/submission-replay.server";
import { confirmCardSetup, listCards, makeDefaultCard, removeCard, startCardSetup } from "./saved-cards.server";
import { stripeGateway } from "./stripe-gateway.server";

/**
 * The cards-on-file page, for the desk (a patient's record) and for the patient (their portal):
 * the same list, the same forms, a different base path and actor (ADR 034).
 */
export interface CardsReply {
  intent: string;
  message: string;
  /** Only for the page that asked: the SetupIntent's secret the Payment Element needs. Never logged or stored. */
  setup?: { clientSecret: string; publishableKey: string; returnUrl: string };
}

export async function cardsPage(ctx: AppContext, actor: AuditActor, patientId: string, url: URL, basePath: string) {
  const gateway = stripeGateway(ctx.env);
  // Back from Stripe's Payment Element: keep the card it saved (also the webhook's job; whichever comes first).
  const setupIntent = url.searchParams.get("setup_intent");
  if (setupIntent && gateway) {
    const confirmed = await confirmCardSetup(ctx, actor.organizationId, patientId, setupIntent.slice(0, 200), actor);
    throw redirect(`${basePath}?${confirmed.ok ? `saved=${encodeURIComponent(confirmed.label)}` : `problem=${encodeURIComponent(confirmed.message)}`}`, { headers: NO_STORE });
  }
  const cards = gateway ? await listCards(ctx, actor.organizationId, patientId) : [];
  await audit(ctx, { actor, action: "patient.cards_read", entityType: "patient", entityId: patientId, outcome: "allowed" });
  return { enabled: gateway !== null, cards, saved: url.searchParams.get("saved"), problem: url.searchParams.get("problem") };
}

const CardIdSchema = z.object({ cardId: z.string().trim().min(1, "Choose a card.").max(64, "Choose a card.") });

export async function cardsAction(ctx: AppContext, request: Request, actor: AuditActor, patientId: string, basePath: string) {
  const form = Object.fromEntries(await request.formData());
  const intent = String(form.intent ?? "");
  const refuse = (status: number, message: string) => data<CardsReply>({ intent, message }, { status, headers: NO_STORE });
  if (intent === "setup") {
    const started = await startCardSetup(ctx, actor.organizationId, patientId);
    if (!started.ok) return refuse(started.status, started.message);
    return data<CardsReply>({ intent, message: "", setup: { clientSecret: started.clientSecret, publishableKey: started.publishableKey, returnUrl: `${ctx.origin}${basePath}` } }, { headers: { ...NO_STORE, ...SECRET_ANSWER } });
  }
  if (intent !== "default" && intent !== "remove") return refuse(400, "That action isn't one this page knows.");
  const parsed = CardIdSchema.safeParse(form);
  if (!parsed.success) return refuse(400, parsed.error.issues[0].message);
  const done = intent === "default" ? await makeDefaultCard(ctx, actor.organizationId, patientId, parsed.data.cardId, actor) : await removeCard(ctx, actor.organizationId, patientId, parsed.data.cardId, actor);
  if (!done.ok) return refuse(done.status, done.message);
  return redirect(`${basePath}?${intent === "default" ? "defaulted=1" : "removed=1"}`, { headers: NO_STORE });
}
