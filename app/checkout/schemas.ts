import { z } from "zod";
import { MoneySchema, moneyField } from "../settings/schemas";
import { parseAmount } from "../charting/amounts";
import { validNpi } from "../superbills/npi";

/** Checkout's forms (issue 12): every amount arrives as people type it and leaves as integer cents. */

const id = (message: string) => z.string({ required_error: message }).trim().min(1, message).max(64, message);
const reason = (what: string) =>
  z
    .string({ required_error: `Say why ${what}.` })
    .trim()
    .min(3, `Say why ${what}.`)
    .max(300, "Keep the reason under 300 characters.");
const money = moneyField;

/** "10" or "12.5" (%) → basis points, at most 100 %. */
const percent = z
  .string({ required_error: "Enter the percentage, like 10 or 12.5." })
  .trim()
  .transform((v, ctx) => {
    if (!/^\d{1,3}(\.\d{1,2})?$/.test(v)) {
      ctx.addIssue({ code: "custom", message: "Enter the percentage, like 10 or 12.5." });
      return z.NEVER;
    }
    const [whole, frac = ""] = v.split(".");
    const basisPoints = Number(whole) * 100 + Number(frac.padEnd(2, "0"));
    if (basisPoints <= 0 || basisPoints > 10_000) {
      ctx.addIssue({ code: "custom", message: "A discount is more than 0 % and at most 100 %." });
      return z.NEVER;
    }
    return basisPoints;
  });

export const RetailSchema = z.object({
  productId: id("Choose a product."),
  quantity: z.coerce.number({ invalid_type_error: "Enter how many, as a whole number." }).int("Enter how many, as a whole number.").min(1, "At least one.").max(99, "At most 99 at once."),
});

export const LineEditSchema = z.object({
  lineId: id("Choose a line to change."),
  quantity: z
    .string({ required_error: "Enter the quantity." })
    .trim()
    .transform((v, ctx) => {
      const n = parseAmount(v);
      if (n === null || n <= 0) {
        ctx.addIssue({ code: "custom", message: "Enter a quantity above zero, like 1 or 2.5." });
        return z.NEVER;
      }
      return n;
    }),
  unitPrice: money("Enter the price of one, like 14 or 14.00."),
  reason: reason("the line changes"),
});

export const RemoveLineSchema = z.object({ lineId: id("Choose a line to remove."), reason: reason("the line is removed") });

export const DiscountSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("percent"), target: id("Choose what to discount."), percent, reason: reason("there is a discount") }),
  z.object({ kind: z.literal("amount"), target: id("Choose what to discount."), amount: money("Enter the discount, like 25 or 25.00."), reason: reason("there is a discount") }),
]);

export const TipSchema = z
  .object({
    tip: z.string({ required_error: "Choose a tip." }).regex(/^(none|custom|\d{1,5})$/, "Choose a tip from the list."),
    customAmount: z.string().optional(),
    providerIds: z.array(id("Choose who the tip is for.")).min(1, "Choose who the tip is for.").max(10),
  })
  .transform((v, ctx) => {
    if (v.tip !== "custom") return { providerIds: v.providerIds, basisPoints: v.tip === "none" ? 0 : Number(v.tip), cents: null as number | null };
    const parsed = MoneySchema.safeParse(v.customAmount ?? "");
    if (!parsed.success) {
      ctx.addIssue({ code: "custom", path: ["customAmount"], message: "Enter the tip in dollars and cents, like 20 or 20.00." });
      return z.NEVER;
    }
    return { providerIds: v.providerIds, basisPoints: null as number | null, cents: parsed.data };
  });

export const CARD_BRANDS = ["visa", "mastercard", "amex", "discover", "other"] as const;

const cardFields = {
  cardBrand: z.enum(CARD_BRANDS, { errorMap: () => ({ message: "Choose the card's brand." }) }),
  cardLast4: z.string({ required_error: "Enter the card's last 4 digits." }).trim().regex(/^\d{4}$/, "Enter the card's last 4 digits, as printed on the terminal slip."),
  authCode: z.string({ required_error: "Enter the authorization code from the terminal slip." }).trim().regex(/^[A-Za-z0-9]{4,12}$/, "Enter the authorization code from the slip: 4 to 12 letters or digits."),
};
const paymentKey = z.string().uuid("This form is out of date; reload the page.");
const giftCardCode = z.string({ required_error: "Enter the gift card's code." }).trim().min(1, "Enter the gift card's code.").max(40, "Enter the 16-character code, like 7K2M-9QXD-4RTW-8PHA.");

/** Cash, a card on the clinic's terminal, or a split: part on the card and the cash for the rest. */
export const PaymentSchema = z.discriminatedUnion("method", [
  z.object({ method: z.literal("cash"), amount: money("Enter the cash handed over, like 100 or 100.00."), paymentKey }),
  z.object({ method: z.literal("card"), amount: money("Enter the amount charged, like 100 or 100.00."), ...cardFields, paymentKey }),
  z.object({ method: z.literal("split"), amount: money("Enter the cash handed over, like 100 or 100.00."), cardAmount: money("Enter the amount on the card, like 100 or 100.00."), ...cardFields, paymentKey }),
  z.object({ method: z.literal("gift_card"), amount: money("Enter the amount to take from the gift card, like 50 or 50.00."), giftCardCode: giftCardCode, paymentKey }),
]);

export const VoidSchema = z.object({ reason: reason("the invoice is voided") });

/** "8.875" (%) → thousandths of a percent (8875), 0–100 %. */
const taxRate = (what: string) =>
  z
    .string({ required_error: `Enter the ${what} tax rate, like 8.875 (or 0).` })
    .trim()
    .regex(/^\d{1,3}(\.\d{1,3})?$/, `Enter the ${what} tax rate as a percentage, like 8.875 (or 0).`)
    .transform((v) => {
      const [whole, frac = ""] = v.split(".");
      return Number(whole) * 1000 + Number(frac.padEnd(3, "0"));
    })
    .refine((v) => v <= 100_000, `The ${what} tax rate is at most 100 %.`);

export const LocationTaxSchema = z.object({
  locationId: id("Choose a location."),
  taxMode: z.enum(["exclusive", "inclusive"], { errorMap: () => ({ message: "Choose whether prices include tax." }) }),
  servicesRate: taxRate("services"),
  retailRate: taxRate("retail"),
});

export const BillingPolicySchema = z.object({
  deskDiscountLimit: z
    .string({ required_error: "Enter the largest discount the front desk may give, like 10 (or 0)." })
    .trim()
    .regex(/^\d{1,3}(\.\d{1,2})?$/, "Enter the largest discount the front desk may give as a percentage, like 10 (or 0).")
    .transform((v) => Math.round(Number(v) * 100))
    .refine((bp) => bp <= 10_000, "A discount limit is at most 100 %."),
  tipPresets: z
    .string({ required_error: "Enter up to four tip percentages, like 18, 20, 25." })
    .trim()
    .regex(/^\d{1,2}(\.\d)?(\s*,\s*\d{1,2}(\.\d)?){0,3}$/, "Enter up to four tip percentages separated by commas, like 18, 20, 25.")
    .transform((v) => [...new Set(v.split(",").map((p) => Math.round(Number(p.trim()) * 100)))].filter((bp) => bp > 0).sort((a, b) => a - b))
    .refine((list) => list.length > 0, "Enter at least one tip percentage above zero.")
    .transform((list) => list.join(",")),
  /** Fees per the clinic's cancellation policy (ADR 038); empty is none. */
  lateCancelFee: z.string().trim().optional().transform((v) => v || "0").pipe(money("Enter the late-cancellation fee in dollars, like 50, or leave it empty for none.")),
  noShowFee: z.string().trim().optional().transform((v) => v || "0").pipe(money("Enter the no-show fee in dollars, like 75, or leave it empty for none.")),
  /** A late fee on invoices still owed this many days after issue (empty: none, the default). */
  lateFee: z.string().trim().optional().transform((v) => v || "0").pipe(money("Enter the late fee in dollars, like 25, or leave it empty for none.")),
  lateFeeAfterDays: z.string().trim().optional().transform((v) => v || "30").pipe(z.string().regex(/^\d{1,3}$/, "Enter the days from 1 to 365, like 30.").transform(Number).refine((n) => n >= 1 && n <= 365, "Enter the days from 1 to 365, like 30.")),
});

export const RefundSchema = z.object({
  paymentId: id("Choose the payment to refund."),
  amount: money("Enter the refund, like 41 or 41.00."),
  reason: reason("the money goes back"),
  restockLineId: z.string().trim().max(64).optional().transform((v) => v || undefined),
  giftCardLineId: z.string().trim().max(64).optional().transform((v) => v || undefined),
  refundKey: z.string().uuid("This form is out of date; reload the page."),
});

export const DrawerSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("open"), float: money("Enter the float counted into the drawer, like 200 or 200.00.") }),
  z.object({ intent: z.literal("cashIn"), amount: money("Enter the cash put in, like 50 or 50.00."), reason: reason("cash goes in") }),
  z.object({ intent: z.literal("cashOut"), amount: money("Enter the cash taken out, like 50 or 50.00."), reason: reason("cash comes out") }),
  z.object({ intent: z.literal("close"), counted: money("Enter the cash counted in the drawer, like 1240.50."), note: z.string().trim().max(300, "Keep the note under 300 characters.").optional() }),
]);

/** Stripe (ADR 034): a saved card charged off-session, or the amount sent to a card reader. */
export const ChargeCardSchema = z.object({
  savedCardId: id("Choose one of the patient's saved cards."),
  amount: money("Enter the amount to charge, like 100 or 100.00."),
  paymentKey,
});
export const ChargeReaderSchema = z.object({
  readerId: id("Choose a card reader."),
  amount: money("Enter the amount to charge, like 100 or 100.00."),
  paymentKey,
});
export const PendingChargeSchema = z.object({ paymentId: id("Choose the charge.") });

export const ReaderSchema = z.object({
  locationId: id("Choose a location."),
  registrationCode: z.string({ required_error: "Enter the code the reader shows." }).trim().regex(/^[A-Za-z0-9-]{4,40}$/, "Enter the code the reader shows, like sepia-cerulean-aardvark."),
  label: z.string({ required_error: "Name the reader, like Front desk." }).trim().min(1, "Name the reader, like Front desk.").max(60, "Keep the name under 60 characters."),
});

export const GIFT_CARD_DESIGN_CHOICES = ["botanical", "gold", "minimal"] as const;
const optionalText = (max: number, message: string) => z.string().trim().max(max, message).optional().transform((v) => v || undefined);

/** A gift card sold at the desk: amount, design, who it is for, a note, and when it is emailed. */
export const GiftCardSaleSchema = z
  .object({
    amount: money("Enter the gift card's amount, like 100 or 100.00."),
    design: z.enum(GIFT_CARD_DESIGN_CHOICES, { errorMap: () => ({ message: "Choose a design." }) }),
    recipientName: optionalText(80, "Keep the name under 80 characters."),
    recipientEmail: z.string().trim().max(200).optional().transform((v) => v || undefined).pipe(z.string().email("Enter the recipient's email, like name@example.com.").optional()),
    senderName: optionalText(80, "Keep the name under 80 characters."),
    message: optionalText(300, "Keep the message under 300 characters."),
    deliverOn: z.string().trim().optional().transform((v) => v || undefined).pipe(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "Choose a day for the email.").optional()),
  })
  .refine((v) => !v.deliverOn || v.recipientEmail, { path: ["recipientEmail"], message: "Enter the recipient's email to send it on a day." });

export const GiftCardReloadSchema = z.object({ code: giftCardCode, amount: money("Enter the amount to add, like 50 or 50.00.") });

const dollarsList = z
  .string({ required_error: "Enter up to six amounts, like 50, 100, 150." })
  .trim()
  .regex(/^\d{1,5}(\s*,\s*\d{1,5}){0,5}$/, "Enter up to six whole-dollar amounts separated by commas, like 50, 100, 150.")
  .transform((v) => [...new Set(v.split(",").map((d) => Number(d.trim()) * 100))].filter((c) => c > 0).sort((a, b) => a - b));

/** Bulk order tiers as people type them, "10: 5, 25: 10" (cards: % off), stored as "10:500,25:1000". */
const TIERS_MESSAGE = "Enter tiers like 10: 5, 25: 10 — number of cards, then % off (up to 50) — each larger than the last.";
const bulkTiers = z
  .string()
  .trim()
  .max(200, TIERS_MESSAGE)
  .optional()
  .transform((v, ctx) => {
    if (!v) return "";
    const pairs = v.split(",").map((p) => /^\s*(\d{1,3})\s*:\s*(\d{1,2}(?:\.\d{1,2})?)\s*%?\s*$/.exec(p));
    const tiers = pairs.map((m) => (m ? { cards: Number(m[1]), bp: Math.round(Number(m[2]) * 100) } : null));
    const rising = tiers.every((t, i) => t && t.cards >= 2 && t.bp > 0 && t.bp <= 5000 && (i === 0 || (t.cards > tiers[i - 1]!.cards && t.bp >= tiers[i - 1]!.bp)));
    if (!rising || tiers.length > 6) {
      ctx.addIssue({ code: "custom", message: TIERS_MESSAGE });
      return z.NEVER;
    }
    return tiers.map((t) => `${t!.cards}:${t!.bp}`).join(",");
  });

/** The gift cards a clinic sells: amounts offered, the range allowed, months they stay good for, bulk discounts, and online sales. */
export const GiftCardPolicySchema = z
  .object({
    amounts: dollarsList,
    bulkTiers,
    online: z.string().optional().transform((v) => v === "on"),
    min: money("Enter the smallest card, like 25."),
    max: money("Enter the largest card, like 1000."),
    expiryMonths: z
      .string()
      .trim()
      .optional()
      .transform((v) => (v ? Number(v) : null))
      .refine((v) => v === null || (Number.isInteger(v) && v >= 1 && v <= 120), "Enter months from 1 to 120, or leave empty for cards that never expire."),
  })
  .refine((v) => v.min >= 100, { path: ["min"], message: "The smallest card is at least $1." })
  .refine((v) => v.max >= v.min, { path: ["max"], message: "The largest card can't be below the smallest." })
  .refine((v) => v.amounts.length > 0 && v.amounts.every((a) => a >= v.min && a <= v.max), { path: ["amounts"], message: "Each amount offered must be within the smallest and largest card." });

/** What superbills print about the clinic and each provider (ADR 036). */
export const ClinicTaxIdSchema = z.object({
  taxId: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v.replace(/\D/g, "") : null))
    .refine((v) => v === null || /^\d{9}$/.test(v), "Enter the clinic's EIN, 9 digits like 12-3456789 (or leave empty)."),
});
export const ProviderBillingSchema = z.object({
  userId: id("Choose a provider."),
  credentials: z.string().trim().max(40, "Keep the credentials under 40 characters, like RN, CANS.").optional().transform((v) => v || null),
  npi: z
    .string()
    .trim()
    .optional()
    .transform((v) => v || null)
    .refine((v) => v === null || validNpi(v), "Enter the provider's 10-digit NPI; that one doesn't check out."),
});

export const PayPeriodSchema = z.object({
  payPeriod: z.enum(["weekly", "biweekly", "semimonthly", "monthly"], { errorMap: () => ({ message: "Choose how often staff are paid." }) }),
  payPeriodAnchor: z.string({ required_error: "Choose a day a pay period starts on." }).regex(/^\d{4}-\d{2}-\d{2}$/, "Choose a day a pay period starts on."),
});
