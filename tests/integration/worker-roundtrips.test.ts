import { readdirSync, readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countRoundTrips, workerTour, type RoundTripCount, type TourStep } from "../../bench/worker-tour";
import { startWorker } from "../helpers/worker-runtime";
import { ROOT, TEMPLATE_DB } from "../setup/paths";

/**
 * The day at the clinic on the built Worker (workerd), its database over the Hrana test endpoint
 * with 20 ms per round trip as Turso from a Worker would take: every page and a real submission to
 * every route with an action answer as they should, and none waits on more database round trips
 * one after another than the budget (pages 2, actions 3; issue 13). Future routes join the tour.
 */
let worker: Awaited<ReturnType<typeof startWorker>>;
let steps: TourStep[];
let counts: RoundTripCount[];

beforeAll(async () => {
  worker = await startWorker(TEMPLATE_DB, { latencyMs: 20 });
  steps = await workerTour(worker);
  counts = await countRoundTrips(worker, steps, { remeasurePagesOver: 2 });
}, 180_000);

afterAll(async () => {
  await worker?.close();
});

describe("the Worker tour", () => {
  it("submits to every route module that has an action", () => {
    const withAction = readdirSync(`${ROOT}/app/routes`)
      .filter((f) => /\.tsx?$/.test(f) && /export (async function|const) action\b/.test(readFileSync(`${ROOT}/app/routes/${f}`, "utf8")))
      .map((f) => f.replace(/\.tsx?$/, ""));
    const submitted = new Set(steps.filter((s) => s.kind === "action").map((s) => s.route));
    expect(withAction.filter((route) => !submitted.has(route))).toEqual([]);
  });

  it("answers every page in 2 database round trips one after another, and every action in 3", () => {
    const over = counts.filter((c) => c.sequential > (c.budget ?? (c.kind === "page" ? 2 : 3))).map((c) => `${c.kind} ${c.name}: ${c.sequential}`);
    expect(over).toEqual([]);
    // The tour did real work: most pages and every write touched the database.
    expect(counts.filter((c) => c.kind === "action" && c.total > 0).length).toBeGreaterThan(35);
  });
});
