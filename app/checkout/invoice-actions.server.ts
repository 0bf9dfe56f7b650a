import { data, redirect } from "@remix-run/node";
import type { ZodTypeAny, z } from "zod";
import type { AppContext } from "../lib/context.server";
import { requirePermission } from "../auth/guards.server";
import type { Permission } from "../auth/permissions";
import { NO_STORE } from "../lib/forms.server";
import { addRetail, editLine, issueInvoice, removeDiscount, removeLine, setDiscount, setTip, voidInvoice } from "./invoice-changes.server";
import { takePayment } from "./payments.server";
import { emailReceipt } from "./receipt-email.server";
import { tipProviders, type Refusal } from "./invoices.server";
import { GiftCardReloadSchema, GiftCardSaleSchema, ChargeCardSchema, ChargeReaderSchema, DiscountSchema, LineEditSchema, PaymentSchema, PendingChargeSchema, RefundSchema, RemoveLineSchema, RetailSchema, TipSchema, VoidSchema } from "./schemas";
import { cancelReaderCharge, chargeSavedCard, checkCharge, collectOnReader, type ChargeAnswer } from "../payments/charges.server";
import { refundPayment } from "./refunds.server";
import { reloadGiftCard, sellGiftCard } from "../gift-cards/gift-cards.server";

export interface InvoiceReply {
  intent: string;
  /** The line or target a per-line form was about, so its errors show beside it. */
  target: string | null;
  message: string;
  errors: Record<string, string[]>;
  /** A fresh key for the charge forms after a decline: trying again (another card) is a new charge. */
  nextKey?: string;
}

const INTENTS: Record<string, Permission> = {
  retail: "checkout:invoice:location",
  tip: "checkout:invoice:location",
  pay: "checkout:invoice:location",
  issue: "checkout:invoice:location",
  emailReceipt: "checkout:invoice:location",
  discount: "discount:invoice:location",
  removeDiscount: "discount:invoice:location",
  editLine: "edit:invoice:location",
  removeLine: "edit:invoice:location",
  void: "edit:invoice:location",
  refund: "refund:payment:location",
  chargeCard: "checkout:invoice:location",
  giftCardSell: "checkout:invoice:location",
  giftCardReload: "checkout:invoice:location",
  chargeReader: "checkout:invoice:location",
  checkCharge: "checkout:invoice:location",
  cancelCharge: "checkout:invoice:location",
};

function reply(intent: string, target: string | null, status: number, message: string, errors: Record<string, string[]> = {}, nextKey?: string) {
  return data<InvoiceReply>({ intent, target, message, errors, ...(nextKey ? { nextKey } : {}) }, { status, headers: NO_STORE });
}

function refused(intent: string, target: string | null, r: Refusal) {
  return reply(intent, target, r.status, r.message, r.field ? { [r.field]: [r.message] } : {});
}

/** Parses with a schema; a refusal answers 400 with each field's first message. */
function parse<S extends ZodTypeAny>(schema: S, input: unknown): { ok: true; value: z.infer<S> } | { ok: false; errors: Record<string, string[]>; message: string } {
  const parsed = schema.safeParse(input);
  if (parsed.success) return { ok: true, value: parsed.data };
  const errors: Record<string, string[]> = {};
  for (const issue of parsed.error.issues) errors[String(issue.path[0] ?? "form")] ??= [issue.message];
  return { ok: false, errors, message: parsed.error.issues[0]?.message ?? "That could not be read." };
}

/**
 * The checkout page's forms, one intent each, each under the permission that fits it. Success
 * redirects back to the invoice (a reload never pays or adds twice); a refusal answers 4xx with a
 * message by its field and nothing written.
 */
export async function invoiceAction(request: Request, ctx: AppContext, invoiceId: string) {
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const permission = INTENTS[intent];
  if (!permission) return reply(intent, null, 400, "That action isn't one the invoice knows.");
  const session = await requirePermission(request, ctx, permission);
  const actor = session.user;
  const fields = Object.fromEntries(form);
  const target = typeof fields.lineId === "string" ? fields.lineId : typeof fields.target === "string" ? fields.target : null;
  const back = (note?: string) => redirect(`/invoices/${invoiceId}${note ? `?${note}` : ""}`, { headers: NO_STORE });

  const run = async <S extends ZodTypeAny>(schema: S, input: unknown, apply: (v: z.infer<S>) => Promise<{ ok: true } | Refusal>, note?: string) => {
    const parsed = parse(schema, input);
    if (!parsed.ok) return reply(intent, target, 400, parsed.message, parsed.errors);
    const result = await apply(parsed.value);
    return result.ok ? back(note) : refused(intent, target, result);
  };

  switch (intent) {
    case "giftCardSell":
      return run(GiftCardSaleSchema, fields, (v) => sellGiftCard(ctx, actor, invoiceId, v), "saved=giftcard");
    case "giftCardReload":
      return run(GiftCardReloadSchema, fields, (v) => reloadGiftCard(ctx, actor, invoiceId, v), "saved=giftcard");
    case "retail":
      return run(RetailSchema, fields, (v) => addRetail(ctx, actor, invoiceId, v), "saved=retail");
    case "editLine":
      return run(LineEditSchema, fields, (v) => editLine(ctx, actor, invoiceId, v), "saved=line");
    case "removeLine":
      return run(RemoveLineSchema, fields, (v) => removeLine(ctx, actor, invoiceId, v), "saved=removed");
    case "discount":
      return run(DiscountSchema, fields, (v) => setDiscount(ctx, actor, invoiceId, v), "saved=discount");
    case "removeDiscount":
      return run(RemoveLineSchema.pick({ lineId: true }), { lineId: fields.target }, (v) => removeDiscount(ctx, actor, invoiceId, v.lineId), "saved=discount");
    case "tip": {
      const providers = await tipProviders(ctx, actor.organizationId, invoiceId);
      return run(TipSchema, { ...fields, providerIds: form.getAll("providerIds").map(String) }, (v) => setTip(ctx, actor, invoiceId, v, providers), "saved=tip");
    }
    case "issue": {
      const issued = await issueInvoice(ctx, actor, invoiceId);
      return issued.ok ? back("saved=issued") : refused(intent, null, issued);
    }
    case "void":
      return run(VoidSchema, fields, (v) => voidInvoice(ctx, actor, invoiceId, v.reason), "saved=void");
    case "refund":
      return run(RefundSchema, fields, (v) => refundPayment(ctx, actor, invoiceId, v), "saved=refund");
    case "emailReceipt": {
      const sent = await emailReceipt(ctx, actor, invoiceId);
      return sent.ok ? back("saved=receipt") : refused(intent, null, sent);
    }
    case "chargeCard":
    case "chargeReader":
    case "checkCharge":
    case "cancelCharge": {
      const schema = intent === "chargeCard" ? ChargeCardSchema : intent === "chargeReader" ? ChargeReaderSchema : PendingChargeSchema;
      const parsed = parse(schema, fields);
      if (!parsed.ok) return reply(intent, null, 400, parsed.message, parsed.errors);
      const v = parsed.value as unknown as Record<string, string> & { amount: number };
      const answer: ChargeAnswer =
        intent === "chargeCard"
          ? await chargeSavedCard(ctx, actor, invoiceId, { amount: v.amount, paymentKey: v.paymentKey, savedCardId: v.savedCardId })
          : intent === "chargeReader"
            ? await collectOnReader(ctx, actor, invoiceId, { amount: v.amount, paymentKey: v.paymentKey, readerId: v.readerId })
            : intent === "checkCharge"
              ? await checkCharge(ctx, actor, invoiceId, v.paymentId)
              : await cancelReaderCharge(ctx, actor, invoiceId, v.paymentId);
      if (!answer.ok) return refused(intent, null, answer);
      // A decline is the card's answer, not the form's: said beside the form, with nothing taken.
      if (answer.status === "failed") return reply(intent, null, 402, `Not charged: ${answer.message ?? "the card was declined."}`, { amount: [answer.message ?? "The card was declined."] }, crypto.randomUUID());
      return back(answer.status === "succeeded" ? `taken=${answer.paymentId}` : `waiting=${answer.paymentId}`);
    }
    case "pay": {
      const parsed = parse(PaymentSchema, fields);
      if (!parsed.ok) return reply(intent, null, 400, parsed.message, parsed.errors);
      const taken = await takePayment(ctx, actor, invoiceId, parsed.value);
      return taken.ok ? back(`taken=${taken.paymentId}`) : refused(intent, null, taken);
    }
  }
  return reply(intent, null, 400, "That action isn't one the invoice knows.");
}
