import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { allocate, checkRefund, invoiceTotals, mulDivHalfUp, refundable, takePayment, tipFromPercent, type Discount, type InvoiceLineInput, type PaymentMethod } from "./money";

const discount: fc.Arbitrary<Discount | null> = fc.oneof(
  fc.constant(null),
  fc.record({ kind: fc.constant("percent" as const), basisPoints: fc.integer({ min: 0, max: 10_000 }) }),
);
const line: fc.Arbitrary<InvoiceLineInput> = fc.record({
  id: fc.uuid(),
  unitCents: fc.integer({ min: 0, max: 200_000 }),
  quantityHundredths: fc.integer({ min: 1, max: 40_000 }),
  taxRate: fc.constantFrom(0, 6_000, 8_250, 8_875, 10_000),
  discount,
});
const options = fc.record({ taxMode: fc.constantFrom("inclusive" as const, "exclusive" as const), invoiceDiscount: discount, tipCents: fc.integer({ min: 0, max: 100_000 }) });
const method: fc.Arbitrary<PaymentMethod> = fc.constantFrom("cash", "card", "card_on_file", "gift_card");

describe("checkout money rules (issue 12)", () => {
  it("for any lines, discounts, tax mode and tip: total = lines − discounts + tax (exclusive) + tip, nothing negative, every discount within its line", () => {
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 12 }), options, (lines, opts) => {
        const t = invoiceTotals(lines, opts);
        const tax = opts.taxMode === "exclusive" ? t.taxCents : 0;
        expect(t.totalCents).toBe(t.subtotalCents - t.discountCents + tax + t.tipCents);
        expect(t.lines.reduce((a, l) => a + l.netCents, 0)).toBe(t.subtotalCents - t.discountCents);
        for (const l of t.lines) {
          expect(l.netCents).toBeGreaterThanOrEqual(0);
          expect(l.lineDiscountCents + l.invoiceDiscountCents).toBeLessThanOrEqual(l.grossCents);
        }
        expect(t.taxByRate.reduce((a, r) => a + r.taxCents, 0)).toBe(t.taxCents);
        // Inclusive tax is a part of what was paid, never more than it.
        if (opts.taxMode === "inclusive") for (const r of t.taxByRate) expect(r.taxCents).toBeLessThanOrEqual(r.taxableCents);
        for (const v of [t.subtotalCents, t.discountCents, t.taxCents, t.totalCents]) expect(Number.isSafeInteger(v) && v >= 0).toBe(true);
      }),
    );
  });

  it("rounds as documented: half up per line price, one rounding per tax rate", () => {
    // 20 u of toxin at $12.345… can't happen (cents are whole); 2.5 u at $13 = $32.50; 0.35 u at $1.49 = 52.15 ¢ → 52 ¢; 0.5 × 1 ¢ → 1 ¢ (half up).
    const t = invoiceTotals(
      [
        { id: "a", unitCents: 1300, quantityHundredths: 250, taxRate: 8_875 },
        { id: "b", unitCents: 149, quantityHundredths: 35, taxRate: 8_875 },
        { id: "c", unitCents: 1, quantityHundredths: 50, taxRate: 0 },
      ],
      { taxMode: "exclusive" },
    );
    expect(t.lines.map((l) => l.grossCents)).toEqual([3250, 52, 1]);
    // 8.875 % of 33.02 = 2.9305… → 2.93 (once for the rate, not 2.88 + 0.05 per line).
    expect(t.taxByRate).toEqual([{ rate: 0, taxableCents: 1, taxCents: 0 }, { rate: 8_875, taxableCents: 3302, taxCents: 293 }]);
    expect(t.totalCents).toBe(3250 + 52 + 1 + 293);
    // Tax-inclusive $100 at 10 %: $9.09 of it is tax.
    expect(invoiceTotals([{ id: "x", unitCents: 10_000, quantityHundredths: 100, taxRate: 10_000 }], { taxMode: "inclusive" }).taxCents).toBe(909);
    expect(mulDivHalfUp(5, 1, 2)).toBe(3);
    expect(tipFromPercent(4_500, 2_000)).toBe(900);
  });

  it("sharing an amount (an invoice discount over lines, a tip between providers) never loses or invents a cent", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), fc.array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 1, maxLength: 10 }).filter((w) => w.some((x) => x > 0)), (total, weights) => {
        const parts = allocate(total, weights);
        expect(parts.reduce((a, p) => a + p, 0)).toBe(total);
        const sum = weights.reduce((a, w) => a + w, 0);
        parts.forEach((p, i) => {
          expect(p).toBeGreaterThanOrEqual(0);
          // Each part is within one cent of its exact share; a part with no weight gets nothing.
          expect(Math.abs(p - (total * weights[i]) / sum)).toBeLessThan(1);
          if (weights[i] === 0) expect(p).toBe(0);
        });
      }),
    );
  });

  it("split payments never go beyond what is owed, and cash change is never negative", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5_000_000 }), fc.array(fc.tuple(method, fc.integer({ min: 1, max: 2_000_000 })), { maxLength: 12 }), (owed, tenders) => {
        let balance = owed;
        let paid = 0;
        for (const [m, tendered] of tenders) {
          const taken = takePayment(balance, m, tendered);
          if (!taken.ok) {
            expect(balance === 0 || (m !== "cash" && tendered > balance)).toBe(true);
            continue;
          }
          expect(taken.changeCents).toBeGreaterThanOrEqual(0);
          expect(taken.appliedCents + taken.changeCents).toBe(tendered);
          balance -= taken.appliedCents;
          paid += taken.appliedCents;
          expect(paid).toBeLessThanOrEqual(owed);
        }
        expect(paid + balance).toBe(owed);
      }),
    );
    expect(takePayment(5_000, "cash", 6_000)).toEqual({ ok: true, appliedCents: 5_000, changeCents: 1_000 });
    expect(takePayment(5_000, "card", 6_000)).toEqual({ ok: false, message: "That is more than is owed on this invoice." });
    expect(takePayment(5_000, "card", 0.5)).toMatchObject({ ok: false });
  });

  it("refunds never exceed what each method paid and has not had back", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(method, fc.integer({ min: 1, max: 100_000 })), { minLength: 1, maxLength: 8 }), fc.array(fc.tuple(method, fc.integer({ min: 1, max: 150_000 })), { maxLength: 10 }), (paidWith, attempts) => {
        const payments = paidWith.map(([m, cents]) => ({ method: m, cents }));
        const refunds: { method: PaymentMethod; cents: number }[] = [];
        for (const [m, cents] of attempts) if (checkRefund(payments, refunds, m, cents).ok) refunds.push({ method: m, cents });
        for (const [, left] of refundable(payments, refunds)) expect(left).toBeGreaterThanOrEqual(0);
      }),
    );
    expect(checkRefund([{ method: "card", cents: 1_000 }], [], "cash", 100)).toEqual({ ok: false, message: "Nothing was paid by this method." });
    expect(checkRefund([{ method: "card", cents: 1_000 }], [{ method: "card", cents: 600 }], "card", 500)).toEqual({ ok: false, message: "At most 4.00 can go back to this method." });
  });

  it("refuses impossible money: fractional or negative cents, discounts over 100 % or over the line, a zero quantity", () => {
    const base = { id: "a", unitCents: 1_000, quantityHundredths: 100, taxRate: 0 };
    expect(() => invoiceTotals([{ ...base, unitCents: 10.5 }], { taxMode: "exclusive" })).toThrow(/whole/);
    expect(() => invoiceTotals([{ ...base, unitCents: -1 }], { taxMode: "exclusive" })).toThrow(/non-negative/);
    expect(() => invoiceTotals([{ ...base, discount: { kind: "percent", basisPoints: 10_001 } }], { taxMode: "exclusive" })).toThrow(/100 %/);
    expect(() => invoiceTotals([{ ...base, discount: { kind: "amount", cents: 1_001 } }], { taxMode: "exclusive" })).toThrow(/more than what it discounts/);
    expect(() => invoiceTotals([{ ...base, quantityHundredths: 0 }], { taxMode: "exclusive" })).toThrow(/more than zero/);
    expect(() => invoiceTotals([base], { taxMode: "exclusive", tipCents: -5 })).toThrow(/tip/);
  });
});
