import { Form, useNavigation } from "@remix-run/react";
import { Card, EmptyState, Notice, buttonClass, secondaryButtonClass } from "~/components/ui";
import type { CardsReply } from "./cards-page.server";
import type { SavedCardView } from "./saved-cards.server";
import { StripeElementForm } from "./stripe-element";

/**
 * Cards on file (ADR 034), the same for the desk and the patient. Listing, the default and
 * removing are plain forms. Entering a card is Stripe's Payment Element: card numbers go from the
 * browser to Stripe and never through Atrium, so that one step needs JavaScript (said plainly
 * when it isn't running).
 */
export function CardsOnFile({ page, reply, who }: { page: { enabled: boolean; cards: SavedCardView[]; saved: string | null; problem: string | null }; reply?: CardsReply; who: "patient" | "desk" }) {
  const busy = useNavigation().state === "submitting";
  if (!page.enabled) {
    return (
      <Card title="Cards on file">
        <p className="text-sm text-stone-700">{who === "desk" ? "Saving cards needs Stripe, which isn't set up for this clinic. Cards are taken on the clinic's own terminal at checkout." : "This clinic doesn't keep cards on file; you pay at the desk."}</p>
      </Card>
    );
  }
  return (
    <Card title="Cards on file">
      <div className="space-y-3" aria-live="polite">
        {page.saved ? <Notice tone="success">Saved {page.saved}.</Notice> : null}
        {page.problem ? <Notice tone="error">{page.problem}</Notice> : null}
        {reply && !reply.setup ? <Notice tone="error">{reply.message}</Notice> : null}
      </div>
      {page.cards.length === 0 ? (
        <EmptyState title="No cards yet">{who === "desk" ? "Add a card so the clinic can charge it at checkout, for a deposit or a late-cancel fee." : "Add a card to pay for visits without reaching for your wallet."}</EmptyState>
      ) : (
        <ul className="mt-3 divide-y divide-stone-100">
          {page.cards.map((c) => (
            <li key={c.id} className="flex flex-wrap items-center gap-3 py-3">
              <span className="min-w-0">
                <span className="block font-medium">{c.label}</span>
                <span className={`block text-sm ${c.expired ? "font-medium text-red-800" : c.expiresSoon ? "font-medium text-amber-900" : "text-stone-600"}`}>
                  {c.expired ? `Expired ${c.expiry}` : c.expiresSoon ? `Expires ${c.expiry} — this month` : `Expires ${c.expiry}`}
                </span>
              </span>
              {c.isDefault ? <span className="rounded-full bg-stone-100 px-2 py-0.5 text-xs font-medium text-stone-800">Default</span> : null}
              <span className="ml-auto flex gap-2">
                {!c.isDefault && !c.expired ? (
                  <Form method="post">
                    <input type="hidden" name="intent" value="default" />
                    <input type="hidden" name="cardId" value={c.id} />
                    <button type="submit" className={secondaryButtonClass} disabled={busy} aria-label={`Make ${c.label} the default`}>Make default</button>
                  </Form>
                ) : null}
                <Form method="post">
                  <input type="hidden" name="intent" value="remove" />
                  <input type="hidden" name="cardId" value={c.id} />
                  <button type="submit" className={secondaryButtonClass} disabled={busy} aria-label={`Remove ${c.label}`}>Remove</button>
                </Form>
              </span>
            </li>
          ))}
        </ul>
      )}
      <div className="mt-4 border-t border-stone-100 pt-4">
        {reply?.setup ? (
          <StripeElementForm {...reply.setup} mode="setup" submitLabel="Save card" />
        ) : (
          <Form method="post">
            <input type="hidden" name="intent" value="setup" />
            <button type="submit" className={buttonClass} disabled={busy}>Add a card</button>
          </Form>
        )}
      </div>
    </Card>
  );
}

