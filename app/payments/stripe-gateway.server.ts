import Stripe from "stripe";
import type { AppEnv } from "../lib/env.server";

/**
 * The one place Atrium speaks to Stripe (ADR 034), through the official `stripe` package over
 * fetch (the same on Node and in a Worker). Every request that moves money carries an
 * idempotency key derived from our own row (`atrium-payment-<id>`, `atrium-refund-<id>`), so a
 * retry after a lost answer — the package's own, or ours — is the same charge, never a second
 * one; the same key sent with another amount is refused by Stripe.
 *
 * Without STRIPE_SECRET_KEY there is no gateway (null): cards are recorded as taken on the
 * clinic's own terminal, and everything else works the same.
 */

export interface CardDetails {
  paymentMethodId: string;
  brand: string;
  last4: string;
  expMonth: number;
  expYear: number;
}

/** What became of a charge: final (succeeded / failed), or still waiting on Stripe or the reader. */
export type ChargeOutcome =
  | { status: "succeeded"; intentId: string; card: Pick<CardDetails, "brand" | "last4"> | null }
  | { status: "failed"; intentId: string | null; message: string }
  | { status: "pending"; intentId: string | null };

export type RefundOutcome = { status: "pending" | "succeeded" | "failed" | "canceled"; refundId: string | null; message: string | null };

export interface ChargeRequest {
  /** Our payment row's id: the idempotency key and the metadata Stripe's events come back with. */
  paymentId: string;
  organizationId: string;
  invoiceId: string;
  amountCents: number;
  currency: string;
  description: string;
}

export const paymentKey = (paymentId: string) => `atrium-payment-${paymentId}`;
export const refundKey = (refundId: string) => `atrium-refund-${refundId}`;

export interface StripeGateway {
  publishableKey: string;
  ensureCustomer(input: { organizationId: string; patientId: string; name: string; email: string | null }): Promise<string>;
  createSetupIntent(input: { customerId: string; organizationId: string; patientId: string }): Promise<{ id: string; clientSecret: string }>;
  retrieveSetupIntent(id: string): Promise<{ id: string; status: string; customerId: string | null; metadata: Record<string, string>; card: CardDetails | null }>;
  retrieveCard(paymentMethodId: string): Promise<(CardDetails & { customerId: string | null }) | null>;
  detachCard(paymentMethodId: string): Promise<void>;
  chargeSavedCard(request: ChargeRequest & { customerId: string; paymentMethodId: string }): Promise<ChargeOutcome>;
  /** A PaymentIntent the patient's phone confirms with the Payment Element. */
  createOnlinePayment(request: ChargeRequest & { customerId: string | null }): Promise<{ intentId: string; clientSecret: string }>;
  /** Creates the card-present PaymentIntent and hands it to the reader; the answer comes by webhook. */
  collectOnReader(request: ChargeRequest & { readerId: string }): Promise<ChargeOutcome>;
  cancelOnReader(input: { readerId: string; intentId: string }): Promise<void>;
  /** Cancels a PaymentIntent nobody finished (the patient left the pay page); one that succeeded meanwhile stays. */
  cancelPayment(intentId: string): Promise<ChargeOutcome>;
  retrieveCharge(intentId: string): Promise<ChargeOutcome>;
  refund(input: { refundId: string; intentId: string; amountCents: number; organizationId: string; paymentId: string }): Promise<RefundOutcome>;
  registerReader(input: { registrationCode: string; label: string; locationName: string; address: { line1: string; city: string; postalCode: string; state: string; country: string } }): Promise<{ readerId: string; label: string }>;
  /** Verifies Stripe-Signature (HMAC over the raw body, 5-minute tolerance) and parses the event. */
  verifyEvent(rawBody: string, signature: string): Promise<Stripe.Event>;
}

export const WEBHOOK_TOLERANCE_SECONDS = 300;

const cache = new WeakMap<AppEnv, StripeGateway | null>();

/** The gateway for this environment, or null when Stripe isn't configured (the embedded default). */
export function stripeGateway(env: AppEnv): StripeGateway | null {
  if (!cache.has(env)) cache.set(env, env.STRIPE_SECRET_KEY ? createGateway(env) : null);
  return cache.get(env)!;
}

function createGateway(env: AppEnv): StripeGateway {
  const api = env.STRIPE_API_URL ? new URL(env.STRIPE_API_URL) : null;
  const stripe = new Stripe(env.STRIPE_SECRET_KEY!, {
    httpClient: Stripe.createFetchHttpClient(),
    // A lost answer is retried with the same idempotency key: Stripe replays its first answer.
    maxNetworkRetries: 2,
    timeout: 20_000,
    appInfo: { name: "Atrium" },
    ...(api ? { host: api.hostname, port: api.port, protocol: api.protocol.replace(":", "") as "http" | "https" } : {}),
  });
  const crypto = Stripe.createSubtleCryptoProvider();
  const cardOf = (pm: Stripe.PaymentMethod | string | null | undefined): CardDetails | null =>
    pm && typeof pm !== "string" && pm.card ? { paymentMethodId: pm.id, brand: pm.card.brand, last4: pm.card.last4, expMonth: pm.card.exp_month, expYear: pm.card.exp_year } : null;
  const metadata = (r: ChargeRequest) => ({ payment_id: r.paymentId, organization_id: r.organizationId, invoice_id: r.invoiceId });

  return {
    publishableKey: env.STRIPE_PUBLISHABLE_KEY!,
    async ensureCustomer(input) {
      const customer = await stripe.customers.create(
        { name: input.name, ...(input.email ? { email: input.email } : {}), metadata: { organization_id: input.organizationId, patient_id: input.patientId } },
        { idempotencyKey: `atrium-customer-${input.organizationId}-${input.patientId}` },
      );
      return customer.id;
    },
    async createSetupIntent(input) {
      const intent = await stripe.setupIntents.create({
        customer: input.customerId,
        usage: "off_session",
        allowed_payment_method_types: ["card"],
        metadata: { organization_id: input.organizationId, patient_id: input.patientId },
      });
      return { id: intent.id, clientSecret: intent.client_secret! };
    },
    async retrieveSetupIntent(id) {
      const intent = await stripe.setupIntents.retrieve(id, { expand: ["payment_method"] });
      return { id: intent.id, status: intent.status, customerId: typeof intent.customer === "string" ? intent.customer : (intent.customer?.id ?? null), metadata: intent.metadata ?? {}, card: cardOf(intent.payment_method) };
    },
    async retrieveCard(paymentMethodId) {
      const pm = await stripe.paymentMethods.retrieve(paymentMethodId);
      const card = cardOf(pm);
      return card ? { ...card, customerId: typeof pm.customer === "string" ? pm.customer : (pm.customer?.id ?? null) } : null;
    },
    async detachCard(paymentMethodId) {
      try {
        await stripe.paymentMethods.detach(paymentMethodId);
      } catch (error) {
        // Already detached (by the patient's bank, or an earlier try): the card is gone either way.
        if (!(error instanceof Stripe.errors.StripeInvalidRequestError)) throw error;
      }
    },
    async chargeSavedCard(r) {
      try {
        const intent = await stripe.paymentIntents.create(
          { amount: r.amountCents, currency: r.currency.toLowerCase(), customer: r.customerId, payment_method: r.paymentMethodId, off_session: true, confirm: true, description: r.description, metadata: metadata(r) },
          { idempotencyKey: paymentKey(r.paymentId) },
        );
        return outcomeOf(intent);
      } catch (error) {
        return failureOf(error);
      }
    },
    async createOnlinePayment(r) {
      const intent = await stripe.paymentIntents.create(
        { amount: r.amountCents, currency: r.currency.toLowerCase(), ...(r.customerId ? { customer: r.customerId } : {}), automatic_payment_methods: { enabled: true }, description: r.description, metadata: metadata(r) },
        { idempotencyKey: paymentKey(r.paymentId) },
      );
      return { intentId: intent.id, clientSecret: intent.client_secret! };
    },
    async collectOnReader(r) {
      try {
        const intent = await stripe.paymentIntents.create(
          { amount: r.amountCents, currency: r.currency.toLowerCase(), allowed_payment_method_types: ["card_present"], capture_method: "automatic", description: r.description, metadata: metadata(r) },
          { idempotencyKey: paymentKey(r.paymentId) },
        );
        try {
          await stripe.terminal.readers.processPaymentIntent(r.readerId, { payment_intent: intent.id }, { idempotencyKey: `${paymentKey(r.paymentId)}-reader` });
        } catch (error) {
          if (!(error instanceof Stripe.errors.StripeInvalidRequestError)) throw error;
          // The reader is offline or busy: nothing was collected; the intent is canceled, not left open.
          await stripe.paymentIntents.cancel(intent.id).catch(() => undefined);
          return { status: "failed", intentId: intent.id, message: stripeWords(error) || "The reader could not take the payment." };
        }
        return { status: "pending", intentId: intent.id };
      } catch (error) {
        return failureOf(error);
      }
    },
    async cancelOnReader(input) {
      await stripe.terminal.readers.cancelAction(input.readerId).catch((error) => {
        if (!(error instanceof Stripe.errors.StripeInvalidRequestError)) throw error;
      });
      await stripe.paymentIntents.cancel(input.intentId).catch((error) => {
        if (!(error instanceof Stripe.errors.StripeInvalidRequestError)) throw error;
      });
    },
    async cancelPayment(intentId) {
      try {
        return outcomeOf(await stripe.paymentIntents.cancel(intentId));
      } catch (error) {
        if (!(error instanceof Stripe.errors.StripeInvalidRequestError)) throw error;
        // Not cancelable: it succeeded (or is processing) meanwhile; Stripe's word on it.
        return outcomeOf(await stripe.paymentIntents.retrieve(intentId, { expand: ["latest_charge"] }));
      }
    },
    async retrieveCharge(intentId) {
      return outcomeOf(await stripe.paymentIntents.retrieve(intentId, { expand: ["latest_charge"] }));
    },
    async refund(input) {
      try {
        const refund = await stripe.refunds.create(
          { payment_intent: input.intentId, amount: input.amountCents, metadata: { refund_id: input.refundId, organization_id: input.organizationId, payment_id: input.paymentId } },
          { idempotencyKey: refundKey(input.refundId) },
        );
        return { status: refundStatus(refund.status), refundId: refund.id, message: refund.failure_reason ?? null };
      } catch (error) {
        if (error instanceof Stripe.errors.StripeConnectionError || error instanceof Stripe.errors.StripeAPIError) return { status: "pending", refundId: null, message: null };
        return { status: "failed", refundId: null, message: plainMessage(error) };
      }
    },
    async registerReader(input) {
      const location = await stripe.terminal.locations.create({
        display_name: input.locationName,
        address: { line1: input.address.line1, city: input.address.city, postal_code: input.address.postalCode, state: input.address.state, country: input.address.country },
      });
      const reader = await stripe.terminal.readers.create({ registration_code: input.registrationCode, label: input.label, location: location.id });
      return { readerId: reader.id, label: reader.label ?? input.label };
    },
    verifyEvent(rawBody, signature) {
      return stripe.webhooks.constructEventAsync(rawBody, signature, env.STRIPE_WEBHOOK_SECRET!, WEBHOOK_TOLERANCE_SECONDS, crypto);
    },
  };
}

function refundStatus(status: string | null): RefundOutcome["status"] {
  return status === "succeeded" || status === "failed" || status === "canceled" ? status : "pending";
}

/** A PaymentIntent's state as our payment's: succeeded, failed (with Stripe's words), or still waiting. */
export function outcomeOf(intent: Stripe.PaymentIntent): ChargeOutcome {
  if (intent.status === "succeeded") {
    const charge = typeof intent.latest_charge === "object" ? intent.latest_charge : null;
    const details = charge?.payment_method_details;
    const card = details?.card ?? details?.card_present ?? null;
    return { status: "succeeded", intentId: intent.id, card: card?.brand && card.last4 ? { brand: card.brand, last4: card.last4 } : null };
  }
  if (intent.status === "canceled") return { status: "failed", intentId: intent.id, message: "The charge was canceled." };
  if (intent.status === "requires_payment_method" && intent.last_payment_error) return { status: "failed", intentId: intent.id, message: intent.last_payment_error.message ?? "The card was declined." };
  return { status: "pending", intentId: intent.id };
}

/** A refused charge in Stripe's own plain words; a lost connection stays pending (the key makes a retry safe). */
function failureOf(error: unknown): ChargeOutcome {
  if (error instanceof Stripe.errors.StripeCardError) {
    const intent = (error.raw as { payment_intent?: { id?: string } }).payment_intent;
    return { status: "failed", intentId: intent?.id ?? null, message: stripeWords(error) || "The card was declined." };
  }
  if (error instanceof Stripe.errors.StripeConnectionError || error instanceof Stripe.errors.StripeAPIError || error instanceof Stripe.errors.StripeRateLimitError) return { status: "pending", intentId: null };
  return { status: "failed", intentId: null, message: plainMessage(error) };
}

function plainMessage(error: unknown) {
  if (error instanceof Stripe.errors.StripeIdempotencyError) return "Stripe refused: this charge was already sent with a different amount.";
  if (error instanceof Stripe.errors.StripeError) return stripeWords(error) || "Stripe refused the request.";
  throw error;
}

/** Stripe's own message, as it wrote it (the package prefixes its request id to `message`). */
function stripeWords(error: InstanceType<typeof Stripe.errors.StripeError>): string {
  return (error.raw as { message?: string } | undefined)?.message ?? error.message.replace(/^\[req_\w+\]\s*/, "");
}
