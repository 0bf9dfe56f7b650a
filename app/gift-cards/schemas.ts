import { z } from "zod";
import { moneyField } from "../settings/schemas";
import { GIFT_CARD_DESIGN_CHOICES } from "../checkout/schemas";

/** Gift card orders from the public page and bulk orders at the desk (ADR 037). */

const name = (message: string) => z.string({ required_error: message }).trim().min(1, message).max(80, "Keep the name under 80 characters.");
const email = (message: string) => z.string({ required_error: message }).trim().max(200, message).email(message);
const optionalText = (max: number, message: string) => z.string().trim().max(max, message).optional().transform((v) => v || undefined);
const design = z.enum(GIFT_CARD_DESIGN_CHOICES, { errorMap: () => ({ message: "Choose a design." }) });

/**
 * Bought on the phone: an amount offered (a radio, so it works without JavaScript) or another one
 * typed, a design, who it's for and their email, the buyer's name and email, a note and the day.
 */
export const OnlineGiftCardSchema = z
  .object({
    amount: z.string().trim().regex(/^(\d{1,6}|other)$/, "Choose an amount.").optional(),
    otherAmount: z.string().trim().optional().transform((v) => v || undefined),
    design,
    recipientName: name("Enter who the card is for."),
    recipientEmail: email("Enter their email, like name@example.com: the card is sent there."),
    senderName: name("Enter your name, so they know who it's from."),
    buyerEmail: email("Enter your email, like name@example.com, for the receipt."),
    message: optionalText(300, "Keep the message under 300 characters."),
    deliverOn: z.string().trim().optional().transform((v) => v || undefined).pipe(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "Choose a day for the email.").optional()),
  })
  .transform((v, ctx) => {
    // An amount typed in the box is what the buyer meant, whichever button was left chosen.
    if (v.amount && v.amount !== "other" && !v.otherAmount) return { ...v, amountCents: Number(v.amount) * 100 };
    if (!v.amount && !v.otherAmount) {
      ctx.addIssue({ code: "custom", path: ["amount"], message: "Choose an amount, or type another one." });
      return z.NEVER;
    }
    const typed = moneyField("Enter the amount in dollars, like 75 or 75.00.").safeParse(v.otherAmount ?? "");
    if (!typed.success) {
      ctx.addIssue({ code: "custom", path: ["otherAmount"], message: typed.error.issues[0]?.message ?? "Enter the amount in dollars, like 75 or 75.00." });
      return z.NEVER;
    }
    return { ...v, amountCents: typed.data };
  });

/** A company's order at the desk: how many cards, of what amount, for whom. */
export const BulkGiftCardSchema = z.object({
  buyerName: name("Enter the company or person buying, like Acme Dental."),
  buyerEmail: email("Enter the buyer's email, like office@example.com, for the invoice."),
  count: z
    .string({ required_error: "Enter how many cards, like 25." })
    .trim()
    .regex(/^\d{1,3}$/, "Enter how many cards, like 25.")
    .transform(Number),
  amount: moneyField("Enter each card's amount, like 100 or 100.00."),
  design,
  message: optionalText(300, "Keep the message under 300 characters."),
});
