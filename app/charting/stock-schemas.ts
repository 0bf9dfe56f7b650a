import { z } from "zod";
import { calendarDate } from "../lib/calendar-date";
import { MoneySchema } from "../settings/schemas";
import { PRICE_BASES, PRODUCT_KINDS, PRODUCT_MEASURES } from "../../db/schema/charting";
import { parseAmount } from "./amounts";

/** A decimal the way people type it ("100", "2.5"), as hundredths. */
const hundredths = (what: string, max: number) =>
  z
    .string({ required_error: `Enter the ${what}.` })
    .trim()
    .transform((v, ctx) => {
      const n = parseAmount(v);
      if (n === null || n <= 0 || n > max) {
        ctx.addIssue({ code: "custom", message: `Enter the ${what} as a number above zero, like 2.5.` });
        return z.NEVER;
      }
      return n;
    });

export const ProductSchema = z
  .object({
    name: z.string({ required_error: "Enter the product's name." }).trim().min(1).max(100, "Keep the name under 100 characters."),
    kind: z.enum(PRODUCT_KINDS, { errorMap: () => ({ message: "Choose what kind of product this is." }) }),
    measure: z.enum(PRODUCT_MEASURES, { errorMap: () => ({ message: "Choose how it is measured." }) }),
    packageSize: hundredths("amount in one vial, syringe or box", 100_000_00),
    diluentMl: hundredths("saline added per vial", 100_00).optional(),
    price: MoneySchema,
    priceBasis: z.enum(PRICE_BASES, { errorMap: () => ({ message: "Choose what the price is for." }) }),
    hsaEligible: z.boolean().default(false),
  })
  .transform(({ price, ...v }) => ({ ...v, priceCents: price }))
  .superRefine((v, ctx) => {
    if (v.kind === "toxin" && v.measure !== "u") ctx.addIssue({ code: "custom", path: ["measure"], message: "Toxins are charted in units." });
    if (v.kind === "filler" && v.measure !== "ml") ctx.addIssue({ code: "custom", path: ["measure"], message: "Fillers are charted in ml." });
  });

export const ReceiveSchema = z.object({
  productId: z.string({ required_error: "Choose a product." }).max(64),
  lotNumber: z
    .string({ required_error: "Enter the lot number printed on the box." })
    .trim()
    .max(40, "Lot numbers are at most 40 characters.")
    .regex(/^[A-Za-z0-9][A-Za-z0-9 ./-]*$/, "Use the lot number as printed: letters, digits, dashes."),
  expiresOn: calendarDate("Enter the expiry date, like 2027-06-30."),
  packages: z.coerce
    .number({ invalid_type_error: "Enter how many vials, syringes or boxes arrived." })
    .int("Enter a whole number of vials, syringes or boxes.")
    .min(1, "At least one arrived.")
    .max(10_000, "That is more than one delivery; check the count."),
  cost: MoneySchema.optional(),
}).transform(({ cost, ...v }) => ({ ...v, costCents: cost ?? 0 }));

export const RecallSchema = z.object({
  reason: z.string({ required_error: "Say why the lot is recalled (the manufacturer's notice)." }).trim().min(3, "Say why the lot is recalled.").max(500, "Keep the reason under 500 characters."),
});
