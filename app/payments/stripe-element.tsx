import { useEffect, useRef, useState } from "react";
import { Notice, buttonClass } from "~/components/ui";

/**
 * Stripe's Payment Element (ADR 034), for saving a card (setup) or paying (payment). Card numbers
 * go from the browser to Stripe and never through Atrium, so this one step needs JavaScript (said
 * plainly when it isn't running). On success Stripe sends the browser to `returnUrl`, whose page
 * asks Stripe what happened; a refusal it can tell at once (a bad number) is shown here.
 */
export function StripeElementForm({ publishableKey, clientSecret, returnUrl, mode, submitLabel }: { publishableKey: string; clientSecret: string; returnUrl: string; mode: "setup" | "payment"; submitLabel: string }) {
  const mount = useRef<HTMLDivElement>(null);
  const [state, setState] = useState<"loading" | "ready" | "working" | "unreachable">("loading");
  const [error, setError] = useState<string | null>(null);
  const confirm = useRef<(() => Promise<void>) | null>(null);
  useEffect(() => {
    let cancelled = false;
    (async () => {
      const { loadStripe } = await import("@stripe/stripe-js");
      const stripe = await loadStripe(publishableKey).catch(() => null);
      if (cancelled) return;
      if (!stripe || !mount.current) return setState("unreachable");
      const elements = stripe.elements({ clientSecret });
      const element = elements.create("payment");
      element.mount(mount.current);
      element.on("ready", () => setState("ready"));
      confirm.current = async () => {
        setState("working");
        const result = mode === "setup" ? await stripe.confirmSetup({ elements, confirmParams: { return_url: returnUrl } }) : await stripe.confirmPayment({ elements, confirmParams: { return_url: returnUrl } });
        setError(result.error?.message ?? "That didn't go through; try again.");
        setState("ready");
      };
    })();
    return () => {
      cancelled = true;
    };
  }, [publishableKey, clientSecret, returnUrl, mode]);
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void confirm.current?.();
      }}
      className="space-y-3"
    >
      <noscript>
        <Notice tone="info">Card numbers are typed into Stripe's secure field, which needs JavaScript. Turn it on, or ask the clinic at the desk.</Notice>
      </noscript>
      {state === "unreachable" ? <Notice tone="error">Couldn't reach Stripe. Check the connection and try again.</Notice> : null}
      {error ? <Notice tone="error">{error}</Notice> : null}
      <div ref={mount} className="min-h-24" aria-busy={state === "loading"} />
      <button type="submit" className={`${buttonClass} w-full sm:w-auto`} disabled={state !== "ready"}>{state === "working" ? "Working…" : submitLabel}</button>
    </form>
  );
}
