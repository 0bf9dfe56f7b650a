import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { amountProblem, amountText, amountWithMeasure, chartTotals, parseAmount, unitsPerTenthMl, usageByLot, volumeForUnits } from "./amounts";
import { lotProblem, lotsToOffer, type LotFacts } from "./lots";
import { ZONE_SHAPES, zoneAt, zoneCentre } from "./zones";
import { missingRequired, patientVisibleAnswers, readAnswer, readAnswers, SectionsSchema } from "./template";
import { SEED_TEMPLATES, seedKindForService } from "./seed-templates";

describe("zone lookup", () => {
  it("takes the zone from where the diagram was tapped", () => {
    expect(zoneAt("front", 500, 305)).toBe("glabella");
    expect(zoneAt("front", 500, 170)).toBe("forehead");
    // The patient's right is on the viewer's left of the front view.
    expect(zoneAt("front", 238, 365)).toBe("crows_feet_right");
    expect(zoneAt("front", 762, 365)).toBe("crows_feet_left");
    expect(zoneAt("front", 500, 684)).toBe("lips");
    expect(zoneAt("front", 500, 648)).toBe("lip_flip");
    expect(zoneAt("left", 560, 370)).toBe("crows_feet_left");
    expect(zoneAt("right", 440, 370)).toBe("crows_feet_right");
  });

  it("prefers the smaller zone inside a larger one, and a near miss counts", () => {
    // The glabella sits at the forehead's lower edge: a tap on it is the glabella.
    expect(zoneAt("front", 510, 290)).toBe("glabella");
    // Just outside the chin's ellipse is still the chin.
    expect(zoneAt("front", 500, 870)).toBe("chin");
  });

  it("is a custom point far from every zone", () => {
    expect(zoneAt("front", 20, 20)).toBe("custom");
    expect(zoneAt("left", 980, 60)).toBe("custom");
  });

  it("finds each zone at its own centre on every view that shows it", () => {
    for (const [view, shapes] of Object.entries(ZONE_SHAPES)) {
      for (const shape of shapes) expect(zoneAt(view as "front", shape.cx, shape.cy), `${view} ${shape.zone}`).toBe(shape.zone);
    }
    expect(zoneCentre("front", "chin")).toEqual({ x: 500, y: 815 });
  });
});

describe("amounts", () => {
  it("reads what providers type, in hundredths", () => {
    expect(parseAmount("20")).toBe(2000);
    expect(parseAmount("2.5")).toBe(250);
    expect(parseAmount("0.05")).toBe(5);
    expect(parseAmount(".5")).toBe(50);
    for (const bad of ["", "-2", "2.555", "abc", "1e3", "2,5", "NaN", "Infinity", " "]) expect(parseAmount(bad), bad).toBeNull();
  });

  it("writes back what it read", () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 99_999_999 }), (n) => parseAmount(amountText(n)) === n));
    expect(amountWithMeasure(2000, "u")).toBe("20 u");
    expect(amountWithMeasure(75, "ml")).toBe("0.75 ml");
    expect(amountWithMeasure(50, "ml")).toBe("0.5 ml");
  });

  it("refuses zero, negative and absurd amounts", () => {
    expect(amountProblem(null, "u")).toMatch(/number/);
    expect(amountProblem(0, "u")).toMatch(/more than zero/);
    expect(amountProblem(-100, "ml")).toMatch(/more than zero/);
    expect(amountProblem(400_00, "u")).toBeNull();
    expect(amountProblem(400_01, "u")).toMatch(/at most 400 u/);
    expect(amountProblem(10_01, "ml")).toMatch(/at most 10 ml/);
  });

  it("gives the dilution a provider draws up with", () => {
    // 100 u vial in 2.5 ml saline: 4 u per 0.1 ml; 20 u is 0.5 ml.
    expect(unitsPerTenthMl(100_00, 2_50)).toBe(4_00);
    expect(volumeForUnits(20_00, 4_00)).toBe(50);
    // 50 u in 1 ml: 5 u per 0.1 ml.
    expect(unitsPerTenthMl(50_00, 1_00)).toBe(5_00);
    expect(unitsPerTenthMl(100_00, 0)).toBeNull();
  });

  it("totals per zone and per product, live as points are added", () => {
    const names: Record<string, string> = { botox: "Botox", juv: "Juvederm" };
    const totals = chartTotals(
      [
        { zone: "glabella", productId: "botox", amount: 400 },
        { zone: "forehead", productId: "botox", amount: 250 },
        { zone: "glabella", productId: "botox", amount: 400 },
        { zone: "lips", productId: "juv", amount: 50 },
        { zone: "custom", label: "Temple", productId: "juv", amount: 25 },
        { zone: "custom", label: "temple ", productId: "juv", amount: 25 },
      ],
      (id) => names[id],
    );
    expect(totals.byZone.map((t) => [t.label, t.amount, t.points])).toEqual([
      ["Glabella · Botox", 800, 2],
      ["Forehead · Botox", 250, 1],
      ["Lips · Juvederm", 50, 1],
      ["Temple · Juvederm", 50, 2],
    ]);
    expect(totals.byProduct.map((t) => [t.label, t.amount])).toEqual([
      ["Botox", 1050],
      ["Juvederm", 100],
    ]);
    expect([...usageByLot([{ lotId: "a", amount: 5 }, { lotId: "b", amount: 2 }, { lotId: "a", amount: 1 }])]).toEqual([
      ["a", 6],
      ["b", 2],
    ]);
  });
});

describe("lot choice", () => {
  const base: LotFacts = { id: "l1", productId: "botox", locationId: "midtown", lotNumber: "C3912", expiresOn: "2027-03-31", remaining: 5000, recalledAt: null };
  const where = { productId: "botox", locationId: "midtown", today: "2026-12-03" };

  it("accepts a lot in stock here, not expired or recalled", () => {
    expect(lotProblem(base, where)).toBeNull();
    // Usable through its expiry day.
    expect(lotProblem({ ...base, expiresOn: "2026-12-03" }, where)).toBeNull();
  });

  it("refuses expired, recalled, empty, other-location and other-product lots, saying why", () => {
    expect(lotProblem({ ...base, expiresOn: "2026-12-02" }, where)).toMatch(/expired on 2026-12-02/);
    expect(lotProblem({ ...base, recalledAt: new Date() }, where)).toMatch(/recalled/);
    expect(lotProblem({ ...base, remaining: 0 }, where)).toMatch(/no stock/);
    expect(lotProblem({ ...base, locationId: "uptown" }, where)).toMatch(/another location/);
    expect(lotProblem({ ...base, productId: "dysport" }, where)).toMatch(/different product/);
    expect(lotProblem(undefined, where)).toMatch(/Choose a lot/);
  });

  it("offers usable lots here, the soonest to expire first", () => {
    const lots = [
      { ...base, id: "late", lotNumber: "B", expiresOn: "2027-06-01" },
      { ...base, id: "soon", lotNumber: "A", expiresOn: "2027-01-15" },
      { ...base, id: "expired", expiresOn: "2026-11-30" },
      { ...base, id: "recalled", recalledAt: new Date() },
      { ...base, id: "elsewhere", locationId: "uptown" },
      { ...base, id: "empty", remaining: 0 },
    ];
    expect(lotsToOffer(lots, where).map((l) => l.id)).toEqual(["soon", "late"]);
  });
});

describe("chart templates", () => {
  it("seeds valid templates for every kind the issue names", () => {
    expect(SEED_TEMPLATES.map((t) => t.kind).sort()).toEqual(["filler", "laser", "neurotoxin", "peel", "soap"]);
    for (const t of SEED_TEMPLATES) expect(SectionsSchema.safeParse(t.sections).success, t.name).toBe(true);
    expect(seedKindForService("Neurotoxin (Botox, Dysport)", "Injectables")).toBe("neurotoxin");
    expect(seedKindForService("Dermal filler", "Injectables")).toBe("filler");
    expect(seedKindForService("Laser hair removal", "Laser")).toBe("laser");
    expect(seedKindForService("Laser resurfacing consultation", "Laser")).toBe("soap");
    expect(seedKindForService("HydraFacial", "Skin")).toBe("soap");
  });

  it("types each answer by its field, with a plain message for the wrong type", () => {
    expect(readAnswer({ id: "n", label: "N", type: "number" }, ["2.5"])).toEqual({ value: 2.5 });
    expect(readAnswer({ id: "n", label: "N", type: "number" }, ["lots"]).error).toMatch(/number/);
    expect(readAnswer({ id: "y", label: "Y", type: "yes_no" }, ["no"])).toEqual({ value: false });
    expect(readAnswer({ id: "y", label: "Y", type: "yes_no" }, ["maybe"]).error).toMatch(/yes or no/);
    expect(readAnswer({ id: "c", label: "C", type: "choice", options: ["A", "B"] }, ["C"]).error).toMatch(/not one of/);
    expect(readAnswer({ id: "m", label: "M", type: "multi_choice", options: ["A", "B"] }, ["A", "B", "A"])).toEqual({ value: ["A", "B"] });
    expect(readAnswer({ id: "d", label: "D", type: "date" }, ["2026-02-30"]).error).toMatch(/real date/);
    expect(readAnswer({ id: "d", label: "D", type: "date" }, ["2026-02-28"])).toEqual({ value: "2026-02-28" });
    expect(readAnswer({ id: "t", label: "T", type: "text" }, ["x".repeat(501)]).error).toMatch(/under 500/);
    expect(readAnswer({ id: "t", label: "T", type: "text" }, ["  "])).toEqual({});
  });

  it("says which required fields are empty and shows patients only what is marked for them", () => {
    const soap = SEED_TEMPLATES.find((t) => t.kind === "soap")!.sections;
    const { answers, errors } = readAnswers(soap, (id) => (id === "plan" ? ["Return in 4 weeks"] : id === "objective" ? ["Mild erythema"] : []));
    expect(errors).toEqual({});
    expect(missingRequired(soap, answers).map((f) => f.id)).toEqual(["subjective"]);
    expect(patientVisibleAnswers(soap, answers)).toEqual({ plan: "Return in 4 weeks" });
  });
});

describe("lot expiry", () => {
  it("says when a lot expires soon or has expired", async () => {
    const { expiryState } = await import("./expiry");
    expect(expiryState("2026-12-03", "2026-12-03")).toBe("soon");
    expect(expiryState("2026-12-02", "2026-12-03")).toBe("expired");
    expect(expiryState("2027-01-02", "2026-12-03")).toBe("soon");
    expect(expiryState("2027-01-03", "2026-12-03")).toBe("ok");
  });
});

describe("face outlines", () => {
  it("mirrors the left profile into the right one", async () => {
    const { mirrorPath, FACE_OUTLINES } = await import("./face-shapes");
    expect(mirrorPath("M560 80 Q330 80 280 300 Z")).toBe("M440 80 Q670 80 720 300 Z");
    expect(FACE_OUTLINES.right.ellipses[0]).toEqual([570, 440, 42, 78]);
  });
});

describe("review sampling", () => {
  it("always reviews services set so, samples about the configured share of the rest, and is stable per chart", async () => {
    const { reviewReason } = await import("./review-sampling");
    expect(reviewReason("x", { alwaysReview: true, percent: 0 })).toBe("always");
    expect(reviewReason("x", { alwaysReview: false, percent: 0 })).toBeNull();
    expect(reviewReason("x", { alwaysReview: false, percent: 100 })).toBe("sampled");
    const ids = Array.from({ length: 20_000 }, () => crypto.randomUUID());
    const share = ids.filter((id) => reviewReason(id, { alwaysReview: false, percent: 10 })).length / ids.length;
    expect(share).toBeGreaterThan(0.09);
    expect(share).toBeLessThan(0.11);
    for (const id of ids.slice(0, 50)) expect(reviewReason(id, { alwaysReview: false, percent: 10 })).toBe(reviewReason(id, { alwaysReview: false, percent: 10 }));
  });
});
