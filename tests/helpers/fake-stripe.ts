import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import Stripe from "stripe";

/**
 * A local fake of the parts of Stripe's HTTP API Atrium uses (ADR 034), for tests only. It
 * speaks what the official package sends — form-encoded bodies with bracketed keys, bearer auth,
 * Idempotency-Key — and answers with Stripe's object shapes, so the real adapter runs unchanged.
 *
 * Idempotency as Stripe documents it: the same key with the same parameters replays the first
 * answer (Idempotent-Replayed: true); with other parameters it is refused (400 idempotency_error).
 * `dropNextAnswer` processes a request and then cuts the connection, as a lost answer would.
 */

export const FAKE_STRIPE_KEYS = {
  STRIPE_SECRET_KEY: "sk_test_atriumfake000000000000",
  STRIPE_PUBLISHABLE_KEY: "pk_test_atriumfake000000000000",
  STRIPE_WEBHOOK_SECRET: "whsec_atriumfakesecret0000000000",
};

/** Card numbers as Stripe's test cards behave: this one declines off-session charges. */
export const DECLINING_LAST4 = "0341";

type Obj = Record<string, unknown>;

/** Parses `a[b][0]=x&a[b][1]=y&c=z` as Stripe's libraries encode it. */
export function parseStripeForm(body: string): Obj {
  const out: Obj = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const path = key.replace(/\]/g, "").split("[");
    let node: Obj = out;
    path.forEach((part, i) => {
      if (i === path.length - 1) node[part] = value;
      else node = (node[part] ??= /^\d+$/.test(path[i + 1]) ? [] : {}) as Obj;
    });
  }
  return out;
}

export interface FakeCard {
  brand: string;
  last4: string;
  expMonth: number;
  expYear: number;
}

export async function fakeStripe() {
  let n = 0;
  const id = (prefix: string) => `${prefix}_fake${String(++n).padStart(6, "0")}`;
  const customers = new Map<string, Obj>();
  const setupIntents = new Map<string, Obj>();
  const paymentMethods = new Map<string, Obj>();
  const intents = new Map<string, Obj>();
  const charges = new Map<string, Obj>();
  const refunds = new Map<string, Obj>();
  const readers = new Map<string, Obj>();
  const idempotent = new Map<string, { params: string; status: number; body: unknown }>();
  const requests: { method: string; path: string; params: Obj; idempotencyKey: string | null }[] = [];
  let dropNext: string | null = null;
  /** Refunds on these intents wait (pending) until the test settles them. */
  const slowRefunds = new Set<string>();

  const error = (status: number, type: string, message: string, extra: Obj = {}) => ({ status, body: { error: { type, message, ...extra } } });
  const now = () => Math.floor(Date.now() / 1000);

  function cardPaymentMethod(card: FakeCard, customer: string | null = null) {
    const pm = { id: id("pm"), object: "payment_method", type: "card", customer, card: { brand: card.brand, last4: card.last4, exp_month: card.expMonth, exp_year: card.expYear } };
    paymentMethods.set(pm.id, pm);
    return pm;
  }

  function charge(intent: Obj, details: Obj) {
    const ch = { id: id("ch"), object: "charge", payment_intent: intent.id, amount: intent.amount, payment_method_details: details, refunded: false };
    charges.set(ch.id, ch);
    intent.latest_charge = ch.id;
    intent.status = "succeeded";
    intent.amount_received = intent.amount;
    return ch;
  }

  function expandIntent(intent: Obj, expand: unknown) {
    const list = Array.isArray(expand) ? expand : [];
    return list.includes("latest_charge") && typeof intent.latest_charge === "string" ? { ...intent, latest_charge: charges.get(intent.latest_charge) } : intent;
  }

  function route(method: string, path: string, p: Obj): { status: number; body: unknown } {
    const parts = path.split("/").filter(Boolean).slice(1); // drop "v1"
    const [a, b, c, d] = parts;
    if (method === "POST" && a === "customers" && !b) {
      const cus = { id: id("cus"), object: "customer", name: p.name ?? null, email: p.email ?? null, metadata: p.metadata ?? {} };
      customers.set(cus.id, cus);
      return { status: 200, body: cus };
    }
    if (method === "POST" && a === "setup_intents" && !b) {
      const si = { id: id("seti"), object: "setup_intent", status: "requires_payment_method", customer: p.customer, usage: p.usage, metadata: p.metadata ?? {}, payment_method: null as unknown };
      setupIntents.set(si.id, { ...si, client_secret: `${si.id}_secret_${crypto.randomUUID().slice(0, 8)}` });
      return { status: 200, body: setupIntents.get(si.id) };
    }
    if (method === "GET" && a === "setup_intents" && b) {
      const si = setupIntents.get(b);
      if (!si) return error(404, "invalid_request_error", `No such setupintent: '${b}'`);
      const expand = Array.isArray(p.expand) ? p.expand : [];
      return { status: 200, body: expand.includes("payment_method") && typeof si.payment_method === "string" ? { ...si, payment_method: paymentMethods.get(si.payment_method) } : si };
    }
    if (method === "GET" && a === "payment_methods" && b) {
      const pm = paymentMethods.get(b);
      return pm ? { status: 200, body: pm } : error(404, "invalid_request_error", `No such PaymentMethod: '${b}'`);
    }
    if (method === "POST" && a === "payment_methods" && c === "detach") {
      const pm = paymentMethods.get(b);
      if (!pm || !pm.customer) return error(400, "invalid_request_error", "The payment method you provided is not attached to a customer so detachment is impossible.");
      pm.customer = null;
      return { status: 200, body: pm };
    }
    if (method === "POST" && a === "payment_intents" && !b) {
      const amount = Number(p.amount);
      if (!Number.isInteger(amount) || amount < 50) return error(400, "invalid_request_error", "Amount must be at least $0.50 usd", { param: "amount" });
      const pi: Obj = { id: id("pi"), object: "payment_intent", amount, currency: p.currency, customer: p.customer ?? null, payment_method: p.payment_method ?? null, metadata: p.metadata ?? {}, status: "requires_payment_method", latest_charge: null, last_payment_error: null, description: p.description ?? null, allowed_payment_method_types: p.allowed_payment_method_types ?? ["card"] };
      pi.client_secret = `${pi.id}_secret_${crypto.randomUUID().slice(0, 8)}`;
      intents.set(pi.id as string, pi);
      if (p.confirm === "true" && typeof p.payment_method === "string") {
        const pm = paymentMethods.get(p.payment_method);
        if (!pm || pm.customer !== p.customer) return error(400, "invalid_request_error", "The provided PaymentMethod is not attached to this customer.", { param: "payment_method" });
        const card = pm.card as Obj;
        if (card.last4 === DECLINING_LAST4) {
          pi.last_payment_error = { type: "card_error", code: "card_declined", decline_code: "generic_decline", message: "Your card was declined." };
          return error(402, "card_error", "Your card was declined.", { code: "card_declined", decline_code: "generic_decline", payment_intent: pi });
        }
        charge(pi, { type: "card", card: { brand: card.brand, last4: card.last4 } });
      }
      return { status: 200, body: pi };
    }
    if (method === "GET" && a === "payment_intents" && b) {
      const pi = intents.get(b);
      return pi ? { status: 200, body: expandIntent(pi, p.expand) } : error(404, "invalid_request_error", `No such payment_intent: '${b}'`);
    }
    if (method === "POST" && a === "payment_intents" && c === "cancel") {
      const pi = intents.get(b);
      if (!pi) return error(404, "invalid_request_error", `No such payment_intent: '${b}'`);
      if (pi.status === "succeeded") return error(400, "invalid_request_error", "You cannot cancel this PaymentIntent because it has a status of succeeded.");
      pi.status = "canceled";
      return { status: 200, body: pi };
    }
    if (method === "POST" && a === "terminal" && b === "locations" && !c) return { status: 200, body: { id: id("tml"), object: "terminal.location", display_name: p.display_name, address: p.address } };
    if (method === "POST" && a === "terminal" && b === "readers" && !c) {
      if (p.registration_code !== "simulated-wpe") return error(400, "invalid_request_error", "Invalid registration code.", { param: "registration_code" });
      const reader = { id: id("tmr"), object: "terminal.reader", label: p.label, location: p.location, status: "online", action: null as unknown };
      readers.set(reader.id, reader);
      return { status: 200, body: reader };
    }
    if (method === "POST" && a === "terminal" && b === "readers" && d === "process_payment_intent") {
      const reader = readers.get(c);
      if (!reader) return error(404, "invalid_request_error", `No such terminal.reader: '${c}'`);
      if (reader.status !== "online") return error(400, "invalid_request_error", "Reader is currently offline, please ensure the reader is powered on and connected to the internet before retrying your request.");
      reader.action = { type: "process_payment_intent", status: "in_progress", process_payment_intent: { payment_intent: p.payment_intent } };
      return { status: 200, body: reader };
    }
    if (method === "POST" && a === "terminal" && b === "readers" && d === "cancel_action") {
      const reader = readers.get(c);
      if (!reader) return error(404, "invalid_request_error", `No such terminal.reader: '${c}'`);
      reader.action = null;
      return { status: 200, body: reader };
    }
    if (method === "POST" && a === "refunds" && !b) {
      const pi = intents.get(String(p.payment_intent));
      if (!pi || pi.status !== "succeeded") return error(400, "invalid_request_error", "This PaymentIntent does not have a successful charge to refund.");
      const already = [...refunds.values()].filter((r) => r.payment_intent === pi.id && r.status !== "failed" && r.status !== "canceled").reduce((s, r) => s + Number(r.amount), 0);
      const amount = Number(p.amount ?? pi.amount);
      if (already + amount > Number(pi.amount)) return error(400, "invalid_request_error", `Refund amount ($${(amount / 100).toFixed(2)}) is greater than unrefunded amount on charge ($${((Number(pi.amount) - already) / 100).toFixed(2)})`, { param: "amount" });
      const re = { id: id("re"), object: "refund", amount, payment_intent: pi.id, charge: pi.latest_charge, status: slowRefunds.has(pi.id as string) ? "pending" : "succeeded", metadata: p.metadata ?? {}, failure_reason: null };
      refunds.set(re.id, re);
      return { status: 200, body: re };
    }
    return error(404, "invalid_request_error", `Unrecognized request URL (${method}: ${path}).`);
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url ?? "/", "http://fake");
    const raw = req.method === "GET" ? url.search.slice(1) : Buffer.concat(chunks).toString("utf8");
    const params = parseStripeForm(raw);
    const key = (req.headers["idempotency-key"] as string | undefined) ?? null;
    requests.push({ method: req.method ?? "", path: url.pathname, params, idempotencyKey: key });
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { "content-type": "application/json", "request-id": `req_${n}`, ...headers });
      res.end(JSON.stringify(body));
    };
    // Stripe.js in the browser confirms an intent with the publishable key and the intent's client secret.
    const confirmFromBrowser = /^\/v1\/payment_intents\/(pi_\w+)\/confirm$/.exec(url.pathname);
    if (confirmFromBrowser && req.headers.authorization === `Bearer ${FAKE_STRIPE_KEYS.STRIPE_PUBLISHABLE_KEY}`) {
      const pi = intents.get(confirmFromBrowser[1]);
      if (!pi || pi.client_secret !== params.client_secret) return send(404, { error: { type: "invalid_request_error", message: "No such payment_intent." } });
      const number = String((params.payment_method_data as Obj | undefined)?.card && ((params.payment_method_data as Obj).card as Obj).number || "").replace(/\D/g, "");
      if (number.length < 12) return send(400, { error: { type: "card_error", code: "incomplete_number", message: "Your card number is incomplete." } });
      if (number.endsWith(DECLINING_LAST4)) return send(402, { error: { type: "card_error", code: "card_declined", message: "Your card was declined." } });
      charge(pi, { type: "card", card: { brand: number.startsWith("4") ? "visa" : "mastercard", last4: number.slice(-4) } });
      return send(200, pi);
    }
    if (req.headers.authorization !== `Bearer ${FAKE_STRIPE_KEYS.STRIPE_SECRET_KEY}`) return send(401, { error: { type: "invalid_request_error", message: "Invalid API Key provided." } });
    const stored = key && req.method === "POST" ? idempotent.get(`${url.pathname}|${key}`) : undefined;
    if (stored) {
      if (stored.params !== raw) return send(400, { error: { type: "idempotency_error", message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.` } });
      return send(stored.status, stored.body, { "idempotent-replayed": "true" });
    }
    const answer = route(req.method ?? "GET", url.pathname, params);
    if (key && req.method === "POST") idempotent.set(`${url.pathname}|${key}`, { params: raw, status: answer.status, body: answer.body });
    if (dropNext && url.pathname.startsWith(dropNext)) {
      dropNext = null;
      req.socket.destroy();
      return;
    }
    send(answer.status, answer.body);
  }

  const server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  const signer = new Stripe(FAKE_STRIPE_KEYS.STRIPE_SECRET_KEY);

  return {
    url,
    env: { ...FAKE_STRIPE_KEYS, STRIPE_API_URL: url },
    requests,
    intents,
    refunds,
    readers,
    lastSetupIntentId: () => [...setupIntents.keys()].at(-1)!,
    /** Money actually moved: succeeded charges. */
    chargeCount: () => charges.size,
    /** The next request to a path starting with `prefix` is processed, then its answer lost. */
    dropNextAnswer(prefix: string) {
      dropNext = prefix;
    },
    slowRefundsOn(intentId: string) {
      slowRefunds.add(intentId);
    },
    /** The patient finished the Payment Element in setup mode with this card. */
    completeSetup(setupIntentId: string, card: FakeCard) {
      const si = setupIntents.get(setupIntentId)!;
      const pm = cardPaymentMethod(card, si.customer as string);
      si.status = "succeeded";
      si.payment_method = pm.id;
      return { setupIntent: si, paymentMethod: pm };
    },
    /** The patient confirmed an online PaymentIntent with this card. */
    confirmOnline(intentId: string, card: Pick<FakeCard, "brand" | "last4">) {
      const pi = intents.get(intentId)!;
      charge(pi, { type: "card", card: { brand: card.brand, last4: card.last4 } });
      return pi;
    },
    /** A card tapped on the reader for the payment it was sent. */
    presentCard(readerId: string, card: Pick<FakeCard, "brand" | "last4">) {
      const reader = readers.get(readerId)!;
      const action = reader.action as { process_payment_intent: { payment_intent: string } };
      const pi = intents.get(action.process_payment_intent.payment_intent)!;
      charge(pi, { type: "card_present", card_present: { brand: card.brand, last4: card.last4 } });
      reader.action = { ...action, status: "succeeded" };
      return pi;
    },
    setReaderOffline(readerId: string) {
      readers.get(readerId)!.status = "offline";
    },
    paymentMethod: (pmId: string) => paymentMethods.get(pmId),
    /** A webhook delivery as Stripe sends it: the JSON body and its Stripe-Signature header. */
    event(type: string, object: Obj, options: { id?: string; created?: number; timestamp?: number; secret?: string } = {}) {
      const payload = JSON.stringify({ id: options.id ?? id("evt"), object: "event", type, created: options.created ?? now(), api_version: "2026-11-18.endive", livemode: false, data: { object } });
      const header = signer.webhooks.generateTestHeaderString({ payload, secret: options.secret ?? FAKE_STRIPE_KEYS.STRIPE_WEBHOOK_SECRET, timestamp: options.timestamp ?? now() });
      return { payload, header };
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
export type FakeStripe = Awaited<ReturnType<typeof fakeStripe>>;
