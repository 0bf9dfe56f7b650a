import { sequentialRoundTrips, type RoundTrip } from "../tests/helpers/hrana";
import { deskBookingFields } from "../tests/helpers/booking-fixtures";
import { DEMO_PASSWORD, ROLE_EMAILS } from "../tests/helpers/test-app";
import type { startWorker } from "../tests/helpers/worker-runtime";

type Worker = Awaited<ReturnType<typeof startWorker>>;

export interface TourStep {
  name: string;
  kind: "page" | "action";
  /** Sends the request; the answer's status is checked against `expect`. */
  send(): Promise<Response>;
  expect: number;
}

export interface RoundTripCount {
  name: string;
  kind: "page" | "action";
  /** Database requests made in all. */
  total: number;
  /**
   * Of those, one after another (in flight together count once) among those the answer could have
   * waited for: answered before it was. Work after the answer (its audit of a read, waitUntil) is in `total` only.
   */
  sequential: number;
}

/**
 * The pages staff, providers and patients open in a day, and the actions they take, on the built
 * Worker: what `worker-roundtrips`, `worker-latency` and the round-trip test walk. Fresh ids come
 * from the database the Worker uses, so the tour can run on any copy of the seeded template.
 */
export async function workerTour(worker: Worker): Promise<TourStep[]> {
  const desk = await worker.signIn(ROLE_EMAILS.front_desk);
  const manager = await worker.signIn(ROLE_EMAILS.manager);
  const provider = await worker.signIn(ROLE_EMAILS.provider);
  const patient = await worker.signIn(ROLE_EMAILS.patient);
  const { fields } = await deskBookingFields("13:00", 8);
  // Visits the pages show: booked through the Worker itself, before the tour counts anything.
  const visits: string[] = [];
  for (const time of ["09:00", "10:00", "11:00"]) {
    const res = await worker.post("/schedule/new", { ...fields, time }, desk);
    if (res.status !== 302) throw new Error(`booking a visit for the tour answered ${res.status}`);
    visits.push(res.headers.get("location")!);
  }
  const [appointment, toCancel] = visits;
  const patientId = fields.patientId;
  const page = (name: string, path: string, cookie?: string): TourStep => ({ name, kind: "page", expect: 200, send: () => worker.send(path, cookie ? { headers: { cookie } } : {}) });
  const action = (name: string, path: string, form: Record<string, string>, cookie: string, expect = 302): TourStep => ({ name, kind: "action", expect, send: () => worker.post(path, form, cookie) });
  let booked = "";
  return [
    page("sign-in page", "/login"),
    page("today", "/today", desk),
    page("day view", `/schedule?date=${fields.date}`, desk),
    page("room view", `/schedule?date=${fields.date}&view=room`, desk),
    page("board", "/board", desk),
    page("appointment", appointment, desk),
    page("patients", "/patients", desk),
    page("patient", `/patients/${patientId}`, desk),
    page("new booking", `/schedule/new?date=${fields.date}`, desk),
    page("waitlist", "/waitlist", desk),
    page("outbox", "/outbox", manager),
    page("audit", "/audit", manager),
    page("settings", "/settings/locations", manager),
    page("my day", "/provider", provider),
    page("portal", "/portal", patient),
    page("public booking", "/book/lumen"),
    action("sign in", "/login", { email: ROLE_EMAILS.front_desk, password: DEMO_PASSWORD }, ""),
    {
      name: "staff booking",
      kind: "action",
      expect: 302,
      async send() {
        const res = await worker.post("/schedule/new", fields, desk);
        booked = res.headers.get("location") ?? "";
        return res;
      },
    },
    { name: "check-in", kind: "action", expect: 302, send: () => worker.post(booked, { intent: "status", to: "checked_in" }, desk) },
    action("cancel", toCancel, { intent: "cancel", reason: "Patient asked to cancel" }, desk),
  ];
}

/** Runs each step once with the endpoint's trace on, counting its database round trips. */
export async function countRoundTrips(worker: Worker, steps: TourStep[]): Promise<RoundTripCount[]> {
  const counts: RoundTripCount[] = [];
  for (const step of steps) {
    const trace: RoundTrip[] = [];
    worker.hrana.trace = trace;
    const res = await step.send();
    // Remix reads everything before it starts rendering: the answer begins when its headers come.
    const answered = performance.now();
    await res.arrayBuffer();
    // Work the Worker does after answering (waitUntil) still counts as database work, but not as waiting.
    await new Promise((resolve) => setTimeout(resolve, 50));
    worker.hrana.trace = null;
    if (res.status !== step.expect) throw new Error(`${step.name} answered ${res.status}, expected ${step.expect}`);
    if (process.env.TOUR_SQL) for (const t of trace) console.error(`  [${(t.start - trace[0].start).toFixed(0)}-${(t.end - trace[0].start).toFixed(0)}] ${t.sql.join(" | ")}`);
    counts.push({ name: step.name, kind: step.kind, total: trace.length, sequential: sequentialRoundTrips(trace.filter((trip) => trip.end <= answered)) });
  }
  return counts;
}
