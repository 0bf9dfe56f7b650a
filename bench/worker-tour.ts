import { sequentialRoundTrips, type RoundTrip } from "../tests/helpers/hrana";
import { deskBookingFields } from "../tests/helpers/booking-fixtures";
import { DEMO_PASSWORD, ROLE_EMAILS, TEST_TOTP_SECRET } from "../tests/helpers/test-app";
import { generateTotp } from "../app/auth/totp.server";
import { cameraJpeg, photoForm } from "../tests/helpers/camera-photo";
import type { startWorker } from "../tests/helpers/worker-runtime";

type Worker = Awaited<ReturnType<typeof startWorker>>;

export interface TourStep {
  name: string;
  kind: "page" | "action";
  /** The route module it exercises (app/routes/<route>.tsx), so a test can tell none is left out. */
  route: string;
  /** What the step needs first (a fresh slot, a token from a message): not counted. */
  prepare?(): Promise<void>;
  /** Sends the request; the answer's status is checked against `expect`. */
  send(): Promise<Response>;
  expect: number;
  /**
   * Round trips one after another it may take, when not the usual (pages 2, actions 3): a run of
   * outbox changes applies each as if sent alone, so its budget grows with the run (1 + 2 per change).
   */
  budget?: number;
}

export interface RoundTripCount {
  name: string;
  kind: "page" | "action";
  route: string;
  budget?: number;
  /** Database requests made in all. */
  total: number;
  /**
   * Of those, one after another (in flight together count once) among those the answer could have
   * waited for: answered before it was. Work after the answer (its audit of a read, waitUntil) is in `total` only.
   */
  sequential: number;
}

/**
 * A day at the clinic on the built Worker: every page staff, providers and patients open, and a
 * real submission to every route that has an action (the ones that need a secret from an email
 * or an SMS provider are sent as a stranger would, and refused). What the Worker tests, the
 * round-trip test and the `worker-roundtrips` / `worker-latency` benchmarks walk. Ids come from the
 * database the Worker uses, so it runs on any fresh copy of the seeded template; run it once per copy.
 */
export async function workerTour(worker: Worker): Promise<TourStep[]> {
  const q = async (statement: string) => String(await worker.sql(statement));
  const desk = await worker.signIn(ROLE_EMAILS.front_desk);
  const manager = await worker.signIn(ROLE_EMAILS.manager);
  const provider = await worker.signIn(ROLE_EMAILS.provider);
  const patient = await worker.signIn(ROLE_EMAILS.patient);
  const director = await worker.signIn(ROLE_EMAILS.medical_director);
  const { fields } = await deskBookingFields("13:00", 8);
  const org = await q("select id from organizations where slug = 'lumen'");
  const location = await q(`select location_id from user_locations ul join users u on u.id = ul.user_id where u.email = '${ROLE_EMAILS.front_desk}'`);
  const otherPatient = await q(`select id from patients where organization_id = '${org}' and user_id is null and email is not null limit 1`);
  const providerId = fields.providerId;
  const harbor = await q("select id from organizations where slug = 'harbor'");
  // Visits the pages show and the actions change: booked through the Worker itself, before the tour counts anything.
  const visits: string[] = [];
  for (const time of ["09:00", "10:00", "11:00", "15:00"]) {
    const res = await worker.post("/schedule/new", { ...fields, time }, desk);
    if (res.status !== 302) throw new Error(`booking a visit for the tour answered ${res.status}`);
    visits.push(res.headers.get("location")!);
  }
  const [appointment, toCancel, patientVisit, toMove] = visits;
  // A chart, opened by the provider on one of their visits (before the tour counts anything).
  const providerVisit = await q(`select a.id from appointments a join users u on u.id = a.provider_id where u.email = '${ROLE_EMAILS.provider}' and a.status in ('confirmed', 'checked_in', 'in_room', 'completed') order by a.starts_at limit 1`);
  const opened = await worker.post(`/appointments/${providerVisit}/chart`, {}, provider);
  if (opened.status !== 302) throw new Error(`opening a chart for the tour answered ${opened.status}`);
  const chart = opened.headers.get("location")!;
  const lot = await q(`select pl.id from product_lots pl join products p on p.id = pl.product_id where pl.location_id = (select location_id from appointments where id = '${providerVisit}') and p.name = 'Botox' and pl.lot_number = 'C3912'`);
  // A consent the chart's service requires, signed on the provider's tablet, also before the counting.
  const encounterId = chart.split("/").pop()!;
  const consentTemplate = `consent-photography-${org}`;
  await worker.sql(`insert or ignore into service_consents (service_id, template_id, organization_id) select service_id, '${consentTemplate}', organization_id from encounters where id = '${encounterId}'`);
  const consentPage = `${chart}/consents/${consentTemplate}`;
  const consentFields = (signerName: string) => ({ clientId: crypto.randomUUID(), versionId: `${consentTemplate}-v1`, signerName, signerRole: "patient", agree: "on", method: "drawn", strokes: "[[[100,200],[300,120],[520,210]]]" });
  const consented = await worker.post(consentPage, consentFields("Tour Patient"), provider);
  if (consented.status !== 302) throw new Error(`signing a consent for the tour answered ${consented.status}`);
  // A photo on it (previews come from the Images binding), also before the counting.
  const tourPhoto = async (stage: string) => photoForm({ bytes: await cameraJpeg(1200, 900) }, { stage });
  const photoAdded = await worker.postForm(`${chart}/photos`, await tourPhoto("before"), provider);
  if (photoAdded.status !== 302) throw new Error(`adding a chart photo for the tour answered ${photoAdded.status}: ${await photoAdded.text()}`);
  const photo = `${chart}/photos/${await q(`select id from encounter_photos where encounter_id = '${chart.split("/").pop()}' limit 1`)}`;
  const signedConsent = await q(`select id from patient_consents where client_id is not null order by signed_at desc limit 1`);
  const consentForm = `consent-neurotoxin-${org}`;
  const expiredLot = await q(`select id from product_lots where location_id = '${location}' and lot_number = 'B8871'`);
  const botox = await q(`select id from products where organization_id = '${org}' and name = 'Botox'`);
  const neurotoxinTemplate = `seed-neurotoxin-${org}`;
  const visitId = (path: string) => path.split("/").pop()!;
  /**
   * A form submission as the app sends it with JavaScript (Remix single fetch: the action alone,
   * at `<path>.data`; the page's data is fetched after it, a page load of its own). Without
   * JavaScript a redirecting action does the same work; one that answers with the page adds that
   * page's reads after its own.
   */
  const submit = (path: string, fields: Record<string, string>, cookie: string) => {
    const url = new URL(path, "http://x");
    return worker.post(`${url.pathname === "/" ? "/_root" : url.pathname}.data${url.search}`, fields, cookie);
  };
  // The room the first visit was booked into (one that suits its service).
  const room = await q(`select coalesce(room_id, (select id from rooms where location_id = '${location}' and active = 1 order by name limit 1)) from appointments where id = '${visitId(appointment)}'`);
  const page = (route: string, name: string, path: string | (() => string), cookie?: string, expect = 200): TourStep => ({
    name,
    route,
    kind: "page",
    expect,
    send: () => worker.send(typeof path === "string" ? path : path(), cookie ? { headers: { cookie } } : {}),
  });
  const action = (route: string, name: string, path: string | (() => string), form: Record<string, string> | (() => Promise<Record<string, string>>), cookie: string, expect = 302): TourStep => {
    let fields: Record<string, string> = typeof form === "function" ? {} : form;
    return {
      name,
      route,
      kind: "action",
      expect,
      prepare: typeof form === "function" ? async () => void (fields = await form()) : undefined,
      send: () => submit(typeof path === "string" ? path : path(), fields, cookie),
    };
  };
  /** An action whose request is known only once `prepare` has run (a fresh slot, a token from a message, a pending sign-in). */
  const prepared = (route: string, name: string, expect: number, prepare: () => Promise<{ path: string; fields: Record<string, string>; cookie: string }>): TourStep => {
    let request = { path: "", fields: {} as Record<string, string>, cookie: "" };
    return { name, route, kind: "action", expect, prepare: async () => void (request = await prepare()), send: () => submit(request.path, request.fields, request.cookie) };
  };
  const slotOn = async (path: string, cookie: string) => {
    const radio = /<input[^>]*name="slot"[^>]*>/.exec(await (await worker.send(`${path}?moveDate=${fields.date}`, { headers: { cookie } })).text())?.[0] ?? "";
    return /value="(\d+)"/.exec(radio)?.[1] ?? "0";
  };
  // An offer goes out just after the answer that freed its time (waitUntil): wait for its message.
  const offered: string[] = [];
  const offerToken = async () => {
    for (let i = 0; i < 100; i++) {
      const token = /\/waitlist\/offers\/([\w-]+)/.exec(await q("select body from messages where kind = 'waitlist_offer' order by created_at desc limit 1"))?.[1];
      if (token && !offered.includes(token)) {
        offered.push(token);
        return token;
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`no waitlist offer was sent (offers: ${await q("select count(*) from waitlist_offers")}, entries: ${await q("select count(*) from waitlist_entries")})`);
  };
  const waitlistFields = { intent: "join", locationId: location, serviceId: fields.serviceId, providerId: "any", fromDate: fields.date, toDate: fields.date };
  const later = new Date(Date.parse(`${fields.date}T12:00:00Z`) + 21 * 86_400_000).toISOString().slice(0, 10);
  let newService = "";
  let checkoutVisit = "";
  // The invoice the checkout step opened (read once it has run).
  const invoiceOf = () => q(`select id from invoices where appointment_id = '${checkoutVisit}'`);
  return [
    // Pages, as each role opens them.
    page("login", "sign-in page", "/login"),
    page("_index", "home", "/", desk, 302),
    page("_app.today", "today", "/today", desk),
    page("_app.schedule", "day view", `/schedule?date=${fields.date}`, desk),
    page("_app.schedule", "room view", `/schedule?date=${fields.date}&view=room`, desk),
    page("_app.schedule", "week view", `/schedule?date=${fields.date}&view=week`, desk),
    page("_app.board", "board", "/board", desk),
    page("_app.appointments.$appointmentId", "appointment", appointment, desk),
    page("appointments.$appointmentId.calendar[.ics]", "appointment calendar file", `${appointment}/calendar.ics`, desk),
    page("_app.patients._index", "patients", "/patients", desk),
    page("_app.patients.$patientId", "patient", `/patients/${fields.patientId}`, desk),
    page("_app.patients.new", "new patient", "/patients/new", desk),
    page("_app.patients.$patientId.notes", "patient notes", `/patients/${fields.patientId}/notes`, desk),
    page("_app.patients.$patientId.cards", "patient cards on file", `/patients/${fields.patientId}/cards`, desk),
    page("_app.gift-cards._index", "gift cards", "/gift-cards", desk),
    page("_app.checkout_.tips", "tips by pay period", "/checkout/tips", desk),
    page("_app.patients.$patientId.details", "patient details", `/patients/${fields.patientId}/details`, desk),
    page("_app.patients.$patientId.messages", "patient messages", `/patients/${fields.patientId}/messages`, desk),
    page("_app.patients.$patientId.merge", "merge patients", `/patients/${fields.patientId}/merge?duplicate=${otherPatient}`, manager),
    page("_app.schedule_.new", "new booking", `/schedule/new?date=${fields.date}`, desk),
    page("_app.waitlist", "waitlist", "/waitlist", desk),
    page("_app.account._index", "account", "/account", desk),
    page("_app.account.mfa", "two-step sign-in", "/account/mfa", desk),
    page("_app.account.signing-pin", "signing PIN", "/account/signing-pin", provider),
    page("board.token", "board token", "/board/token", desk, 404),
    page("_app.outbox", "outbox", "/outbox", manager),
    page("_app.audit", "audit", "/audit", manager),
    page("_app.settings._index", "settings", "/settings", manager, 302),
    page("_app.settings.organization", "settings: organization", "/settings/organization", manager),
    page("_app.settings.locations._index", "settings: locations", "/settings/locations", manager),
    page("_app.settings.locations.$locationId", "settings: location", `/settings/locations/${location}`, manager),
    page("_app.settings.services._index", "settings: services", "/settings/services", manager),
    page("_app.settings.services.$serviceId", "settings: service", `/settings/services/${fields.serviceId}`, manager),
    page("_app.settings.staff._index", "settings: staff", "/settings/staff", manager),
    page("_app.settings.billing", "settings: billing", "/settings/billing", manager),
    page("_app.checkout", "checkout: the day", "/checkout", desk),
    page("_app.settings.staff.$userId", "settings: staff member", `/settings/staff/${providerId}`, manager),
    page("_app.provider", "my day", "/provider", provider),
    page("_app.charts.$encounterId", "chart", chart, provider),
    page("_app.charts.$encounterId.pdf", "chart PDF", `${chart}/pdf`, director),
    page("_app.charts.$encounterId_.consents.$templateId", "consent to sign", consentPage, provider),
    page("_app.charts.$encounterId_.exam", "good-faith exam", `${chart}/exam`, director),
    page("_app.consents._index", "consent forms", "/consents", manager),
    page("_app.consents.$templateId", "consent form", `/consents/${consentForm}`, manager),
    page("_app.consents.signed.$consentId[.pdf]", "signed consent PDF", `/consents/signed/${signedConsent}.pdf`, director),
    page("_app.charts.$encounterId_.photos", "chart photos", `${chart}/photos`, provider),
    page("_app.charts.$encounterId.photos.$photoId", "chart photo", photo, director),
    page("_app.charts.$encounterId.photos.$photoId", "chart photo preview", `${photo}?size=thumb`, provider),
    page("_app.appointments.$appointmentId_.chart", "a visit's chart", `/appointments/${providerVisit}/chart`, provider, 302),
    page("_app.inventory._index", "inventory", "/inventory", desk),
    page("_app.inventory.products", "product catalogue", "/inventory/products", manager),
    page("_app.inventory.lots.$lotId", "lot and recall trace", `/inventory/lots/${lot}`, director),
    page("_app.inventory.lots.$lotId.trace[.csv]", "recall trace CSV", `/inventory/lots/${lot}/trace.csv`, director),
    page("_app.chart-templates._index", "chart templates", "/chart-templates", manager),
    page("_app.chart-templates.$templateId", "chart template", `/chart-templates/${neurotoxinTemplate}`, manager),
    page("_app.reviews", "chart reviews", "/reviews", director),
    page("_app.compliance", "compliance", "/compliance", director),
    page("_app.account.calendar", "calendar feed", "/account/calendar", provider),
    page("_app.portal._index", "portal", "/portal", patient),
    page("_app.portal.visits.$appointmentId", "portal: visit", patientVisit.replace("/appointments/", "/portal/visits/"), patient),
    page("_app.portal.visits.$appointmentId.chart[.pdf]", "portal: treatment record (none signed yet)", `${patientVisit.replace("/appointments/", "/portal/visits/")}/chart.pdf`, patient, 404),
    page("_app.portal.waitlist", "portal: waitlist", "/portal/waitlist", patient),
    page("_app.portal.profile", "portal: profile", "/portal/profile", patient),
    page("_app.portal.cards", "portal: cards on file", "/portal/cards", patient),
    page("_app.portal.invoices._index", "portal: payments", "/portal/invoices", patient),
    page("book.$org", "public booking", "/book/lumen"),
    page("gift.$org._index", "gift cards online", "/gift/lumen"),
    page("_app.gift-cards.bulk", "bulk gift card order", "/gift-cards/bulk", desk),
    page("book.$org", "public booking: times", `/book/lumen?location=${location}&service=${fields.serviceId}&date=${fields.date}`),
    page("forgot-password", "forgot password", "/forgot-password"),
    page("reset-password", "reset password", "/reset-password?token=not-a-real-token-at-all"),
    page("invite", "invitation", "/invite?token=not-a-real-token-at-all"),
    page("login_.mfa", "second factor page", "/login/mfa", desk, 302),
    page("feeds.$token.calendar[.ics]", "calendar feed file (unknown)", "/feeds/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/calendar.ics", undefined, 404),
    page("healthz", "health check", "/healthz"),
    // Actions: a real submission to every route that takes one.
    action("login", "sign in", "/login", { email: ROLE_EMAILS.front_desk, password: DEMO_PASSWORD }, ""),
    // The next step's code: this account already used the current one signing in above (codes work once).
    prepared("login_.mfa", "second factor", 302, async () => ({
      path: "/login/mfa",
      fields: { code: generateTotp(TEST_TOTP_SECRET, Date.now() + 30_000) },
      cookie: (await worker.post("/login", { email: ROLE_EMAILS.owner, password: DEMO_PASSWORD })).headers.get("set-cookie")!.split(";")[0],
    })),
    action("_app.schedule_.new", "staff booking", "/schedule/new", { ...fields, time: "16:00" }, desk),
    action("_app.schedule_.new", "staff booking: patient search", "/schedule/new", { intent: "search", q: "Avery" }, desk, 303),
    action("_app.schedule_.new", "staff booking: new patient", `/schedule/new?date=${fields.date}`, { intent: "create_patient", firstName: "Robin", lastName: "Tourist", dateOfBirth: "1990-04-02", email: "robin.tourist@example.com" }, desk),
    action("_app.appointments.$appointmentId", "check-in", appointment, { intent: "status", to: "checked_in", confirmEarly: "1" }, desk),
    // Today's one-tap change, posted to Today itself (here: undoing the check-in, as the desk may).
    action("_app.today", "today status change", "/today", { appointmentId: visitId(appointment), to: "confirmed" }, desk),
    action("_app.appointments.$appointmentId", "to room", appointment, { intent: "status", to: "in_room", roomId: room }, desk),
    action("_app.appointments.$appointmentId", "move", toMove, async () => ({ intent: "move", providerId: "any", slot: await slotOn(toMove, desk) }), desk),
    action("_app.schedule", "day view status change", `/schedule?date=${fields.date}`, { appointmentId: visitId(appointment), to: "completed" }, desk),
    action("_app.board", "board: room ready", "/board", { intent: "room-free", roomId: room }, desk),
    action("_app.board", "board: my status", "/board", { intent: "my-status", state: "documenting" }, provider),
    action("_app.appointments.$appointmentId_.chart", "open a chart", `/appointments/${providerVisit}/chart`, {}, provider),
    prepared("_app.charts.$encounterId", "save a chart", 302, async () => ({ path: chart, fields: { intent: "save", revision: await q(`select revision from encounters where id = '${chart.split("/").pop()}'`), "answer.concerns": "Frown lines", "points[0].zone": "glabella", "points[0].lotId": lot, "points[0].amount": "20" }, cookie: provider })),
    (() => {
      // The tablet's outbox: the next change in this device's sequence, with a fresh revision (ADR 029). A resource route: no ".data".
      let fields: Record<string, string> = {};
      const tablet = "tour-tablet-0000000001";
      return {
        name: "sync a chart change from a tablet",
        route: "_app.charts.$encounterId.sync",
        kind: "action",
        expect: 200,
        prepare: async () => void (fields = { deviceId: tablet, seq: String(Number(await q(`select coalesce(max(last_seq), 0) from device_sequences where device_id = '${tablet}'`)) + 1), mutationId: crypto.randomUUID(), intent: "save", revision: await q(`select revision from encounters where id = '${chart.split("/").pop()}'`), "answer.concerns": "Frown lines (offline)", "points[0].zone": "glabella", "points[0].lotId": lot, "points[0].amount": "22" }),
        send: () => worker.post(`${chart}/sync`, fields, provider),
      } satisfies TourStep;
    })(),
    (() => {
      // A run of two saves from the tablet's outbox in one request (ADR 029).
      let changes = "";
      const tablet = "tour-tablet-0000000001";
      return {
        name: "sync a run of chart changes from a tablet",
        route: "_app.charts.sync",
        kind: "action",
        expect: 200,
        prepare: async () => {
          const seq = Number(await q(`select coalesce(max(last_seq), 0) from device_sequences where device_id = '${tablet}'`)) + 1;
          const encounterId = chart.split("/").pop()!;
          const fields = (amount: string) => Object.entries({ intent: "save", "answer.concerns": "Frown lines (offline run)", "points[0].zone": "glabella", "points[0].lotId": lot, "points[0].amount": amount });
          changes = JSON.stringify([
            { encounterId, seq, mutationId: crypto.randomUUID(), revision: Number(await q(`select revision from encounters where id = '${encounterId}'`)), fields: fields("18") },
            { encounterId, seq: seq + 1, mutationId: crypto.randomUUID(), fields: fields("20") },
          ]);
        },
        send: () => worker.post("/charts/sync", { deviceId: tablet, changes }, provider),
        budget: 1 + 2 * 2,
      } satisfies TourStep;
    })(),
    action("_app.charts.$encounterId_.consents.$templateId", "sign a consent", consentPage, consentFields("Tour Guardian"), provider),
    action("_app.charts.$encounterId_.exam", "record a good-faith exam", `${chart}/exam`, { clientId: crypto.randomUUID(), findings: "History reviewed, no contraindications; toxin approved." }, director),
    action("_app.consents._index", "exam rule", "/consents", { intent: "exam-rule", validMonths: "12" }, manager, 200),
    action("_app.consents._index", "new consent form", "/consents", { intent: "create", name: "Tour consent", body: "I agree to the tour's treatment, its risks were explained and my questions were answered.", validMonths: "12" }, manager),
    prepared("_app.consents.$templateId", "edit a consent form", 302, async () => ({ path: `/consents/${consentForm}`, fields: { version: await q(`select current_version from consent_templates where id = '${consentForm}'`), name: "Neurotoxin treatment consent", body: `${await q(`select body from consent_template_versions where id = '${consentForm}-v1'`)}\n\nTour addition.`, validMonths: "12" }, cookie: manager })),
    { name: "add a chart photo", route: "_app.charts.$encounterId_.photos", kind: "action", expect: 302, send: async () => worker.postForm(`${chart}/photos.data`, await tourPhoto("after"), provider) },
    action("_app.inventory._index", "receive stock", "/inventory", { productId: botox, lotNumber: "T0UR1", expiresOn: "2028-01-31", packages: "2" }, desk, 200),
    action("_app.inventory.products", "add a product", "/inventory/products", { name: "Tour Toxin", kind: "toxin", measure: "u", packageSize: "100", diluentMl: "2.5", price: "12", priceBasis: "measure" }, manager, 200),
    action("_app.inventory.lots.$lotId", "recall a lot", `/inventory/lots/${expiredLot}`, { reason: "Manufacturer notice (tour)" }, director, 200),
    action("_app.checkout", "open the cash drawer", "/checkout", { intent: "open", float: "200" }, desk),
    action("_app.settings.billing", "settings: tax at a location", "/settings/billing", { intent: "tax", locationId: location, taxMode: "exclusive", servicesRate: "0", retailRate: "8.875" }, manager, 200),
    // Checkout (issue 12): a visit seen today becomes an invoice; the desk opens it and takes cash.
    prepared("_app.appointments.$appointmentId", "check out a visit", 302, async () => {
      checkoutVisit = await q(`select id from appointments where location_id = '${location}' and status in ('checked_in', 'in_room', 'completed') and id not in (select appointment_id from invoices where appointment_id is not null) order by starts_at desc limit 1`);
      return { path: `/appointments/${checkoutVisit}`, fields: { intent: "checkout" }, cookie: desk };
    }),
    (() => {
      let path = "";
      return { name: "invoice", route: "_app.invoices.$invoiceId", kind: "page", expect: 200, prepare: async () => void (path = `/invoices/${await invoiceOf()}`), send: () => worker.send(path, { headers: { cookie: desk } }) } satisfies TourStep;
    })(),
    (() => {
      let path = "";
      return { name: "receipt PDF", route: "_app.invoices.$invoiceId.receipt[.pdf]", kind: "page", expect: 200, prepare: async () => void (path = `/invoices/${await invoiceOf()}/receipt.pdf`), send: () => worker.send(path, { headers: { cookie: desk } }) } satisfies TourStep;
    })(),
    (() => {
      let path = "";
      return { name: "superbill PDF", route: "_app.invoices.$invoiceId.superbill[.pdf]", kind: "page", expect: 200, prepare: async () => void (path = `/invoices/${await invoiceOf()}/superbill.pdf`), send: () => worker.send(path, { headers: { cookie: desk } }) } satisfies TourStep;
    })(),
    prepared("_app.invoices.$invoiceId", "sell a gift card", 302, async () => ({ path: `/invoices/${await invoiceOf()}`, fields: { intent: "giftCardSell", amount: "100", design: "gold" }, cookie: desk })),
    prepared("_app.invoices.$invoiceId", "take cash", 302, async () => ({ path: `/invoices/${await invoiceOf()}`, fields: { intent: "pay", method: "cash", amount: "20", paymentKey: crypto.randomUUID() }, cookie: desk })),
    action("_app.chart-templates._index", "link a service's template", "/chart-templates", { serviceId: fields.serviceId, templateId: `seed-soap-${org}` }, manager, 200),
    prepared("_app.chart-templates.$templateId", "add a template field", 200, async () => ({ path: `/chart-templates/${neurotoxinTemplate}`, fields: { version: await q(`select current_version from chart_templates where id = '${neurotoxinTemplate}'`), intent: "add", section: "Assessment", label: "Tour field", type: "yes_no" }, cookie: manager })),
    action("_app.reviews", "review settings", "/reviews", { percent: "15" }, director, 200),
    action("_app.patients._index", "patient search", "/patients", { q: "Avery" }, desk, 303),
    action("_app.patients.new", "new patient", "/patients/new", { firstName: "Sam", lastName: "Tourist", dateOfBirth: "1985-07-19", phone: "(212) 555-0147", smsConsent: "on" }, desk),
    action("_app.patients.$patientId", "portal invitation", `/patients/${otherPatient}`, { intent: "invite" }, desk, 200),
    action("resources.patient-search", "find a patient as you type", "/resources/patient-search", { q: "Avery" }, desk, 200),
    action("_app.gift-cards._index", "gift card lookup (a typo)", "/gift-cards", { code: "AAAA-AAAA-AAAA-AAAA" }, desk, 400),
    action("_app.gift-cards.bulk", "bulk gift card order", "/gift-cards/bulk", { buyerName: "Acme Dental", buyerEmail: "office@acme.example", count: "12", amount: "100", design: "gold" }, desk, 302),
    // No online card payments on the tour's Worker: the public page sells nothing and says so.
    action("gift.$org._index", "gift card bought online (no Stripe)", "/gift/lumen", { amount: "100", design: "gold", recipientName: "Rosa", recipientEmail: "rosa@example.com", senderName: "Mia", buyerEmail: "mia@example.com" }, "", 409),
    action("gift.$org.orders.$token", "gift card order: pay (unknown link)", "/gift/lumen/orders/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", { intent: "pay" }, "", 404),
    action("_app.patients.$patientId.invoices", "a new sale for the patient", `/patients/${fields.patientId}/invoices`, { intent: "newSale" }, desk, 302),
    action("_app.patients.$patientId.cards", "remove a card (none saved)", `/patients/${fields.patientId}/cards`, { intent: "remove", cardId: "none" }, desk, 404),
    action("_app.patients.$patientId.notes", "patient note", `/patients/${fields.patientId}/notes`, { intent: "add", body: "Prefers mornings.", pinned: "on" }, desk, 200),
    action("_app.patients.$patientId.details", "patient allergy", `/patients/${fields.patientId}/details`, { intent: "add-item", kind: "allergy", name: "Lidocaine", severity: "moderate" }, desk, 200),
    action("_app.patients.$patientId.messages", "message a patient", `/patients/${fields.patientId}/messages`, { channel: "sms", body: "Your results are in." }, desk, 200),
    // The patient just created (no portal sign-in) is the duplicate of the one the invitation went to.
    prepared("_app.patients.$patientId.merge", "merge a duplicate", 303, async () => ({ path: `/patients/${otherPatient}/merge`, fields: { intent: "merge", duplicateId: await q("select id from patients where last_name = 'Tourist' limit 1"), confirm: "on" }, cookie: manager })),
    action("_app.waitlist", "waitlist: add", "/waitlist", { ...waitlistFields, patientId: otherPatient }, desk, 200),
    action("_app.waitlist", "waitlist: search", "/waitlist", { intent: "search", q: "Avery" }, desk, 303),
    action("_app.portal.waitlist", "portal: join waitlist", "/portal/waitlist", { ...waitlistFields, toDate: later }, patient, 200),
    // Cancelling frees a time the patient just added is waiting for: they are offered it (after the answer).
    action("_app.appointments.$appointmentId", "cancel", toCancel, { intent: "cancel", reason: "Patient asked to cancel" }, desk),
    prepared("waitlist.offers.$token", "waitlist offer: decline", 200, async () => ({ path: `/waitlist/offers/${await offerToken()}`, fields: { answer: "decline" }, cookie: "" })),
    // The pass goes to the next in line (the portal patient, who joined before the cancellation), who takes it.
    prepared("waitlist.offers.$token", "waitlist offer: accept", 200, async () => ({ path: `/waitlist/offers/${await offerToken()}`, fields: { answer: "accept" }, cookie: "" })),
    action("_app.portal.visits.$appointmentId", "portal: move", patientVisit.replace("/appointments/", "/portal/visits/"), async () => ({ intent: "move", providerId: "any", slot: await slotOn(patientVisit.replace("/appointments/", "/portal/visits/"), patient) }), patient),
    action("_app.portal._index", "portal: cancel", "/portal", { intent: "cancel", appointmentId: visitId(patientVisit) }, patient, 200),
    action("_app.portal.invoices.$invoiceId", "portal: pay an invoice (no Stripe)", "/portal/invoices/00000000-0000-0000-0000-000000000000", { intent: "pay" }, patient, 409),
    action("_app.portal.cards", "portal: make a card the default (none saved)", "/portal/cards", { intent: "default", cardId: "none" }, patient, 404),
    action("_app.portal.profile", "portal: contact details", "/portal/profile", { email: "patient@lumen.example", phone: "(212) 555-0100", emailConsent: "on" }, patient, 200),
    action("_app.account._index", "change password (wrong current)", "/account", { current: "not-my-password", password: "a-new-long-password-1", confirm: "a-new-long-password-1" }, desk, 400),
    action("_app.account.calendar", "calendar feed: new link", "/account/calendar", { intent: "new" }, provider, 200),
    {
      // A password check (throttle claim, the hash, the claim settled) before the PIN is written: as signing online.
      ...action("_app.account.signing-pin", "set a signing PIN", "/account/signing-pin", { pin: "482913", confirm: "482913", password: DEMO_PASSWORD }, provider, 200),
      budget: 5,
    },
    action("_app.account.mfa", "two-step sign-in: wrong code", "/account/mfa", { intent: "disable", code: "000000" }, manager, 403),
    action("_app.outbox", "outbox: retry (nothing to retry)", "/outbox", { intent: "retry", messageId: "none" }, manager, 404),
    action("_app.settings.organization", "settings: organization", "/settings/organization", { name: "Lumen Aesthetics", phone: "(212) 555-0199", staffIdleMinutes: "30", patientIdleMinutes: "15" }, await worker.signIn(ROLE_EMAILS.owner), 200),
    action("_app.settings.locations._index", "settings: new location", "/settings/locations", { name: "Lumen Brooklyn", timeZone: "America/New_York", addressLine1: "1 Front St", city: "Brooklyn", region: "NY", postalCode: "11201", country: "US", phone: "(718) 555-0100" }, manager),
    action("_app.settings.locations.$locationId", "settings: add room", `/settings/locations/${location}`, { intent: "add-room", name: "Tour Room", roomType: "treatment" }, manager, 200),
    action("_app.settings.locations.$locationId", "settings: booking rules", `/settings/locations/${location}`, { intent: "update-rules", slotIntervalMinutes: "15", minNoticeMinutes: "60", maxAdvanceDays: "90", selfServiceCutoffHours: "24", reminderHours: "24,2" }, manager, 200),
    {
      name: "settings: new service",
      route: "_app.settings.services._index",
      kind: "action",
      expect: 302,
      async send() {
        const res = await worker.post("/settings/services", { name: "Tour Peel", category: "Skin", durationMinutes: "30", price: "150", active: "on", providerIds: providerId }, manager);
        newService = res.headers.get("location") ?? "";
        return res;
      },
    },
    action("_app.settings.services.$serviceId", "settings: provider prices", () => newService || `/settings/services/${fields.serviceId}`, { intent: "overrides", "overrides[0].userId": providerId, "overrides[0].durationMinutes": "45", "overrides[0].price": "175" }, manager, 200),
    action("_app.settings.staff._index", "settings: invite staff", "/settings/staff", { name: "Tour Injector", email: "tour.injector@lumen.example", role: "provider", locationIds: location }, manager, 200),
    action("_app.settings.staff.$userId", "settings: add shift", `/settings/staff/${providerId}`, { intent: "add-shift", locationId: location, weekday: "7", start: "09:00", end: "13:00", effectiveFrom: fields.date }, manager, 200),
    action("_app.settings.staff.$userId", "settings: time off", `/settings/staff/${providerId}`, { intent: "add-time-off", date: later, reason: "Conference" }, manager, 200),
    action("resources.location", "switch location", "/resources/location", { locationId: location, redirectTo: "/today" }, desk),
    action("resources.organization", "switch organization", "/resources/organization", { organizationId: harbor }, director),
    action("forgot-password", "forgot password", "/forgot-password", { email: ROLE_EMAILS.front_desk }, "", 200),
    action("reset-password", "reset password (unknown link)", "/reset-password", { token: "not-a-real-token-at-all", password: "a-new-long-password-1", confirm: "a-new-long-password-1" }, "", 400),
    action("invite", "accept invitation (unknown link)", "/invite", { token: "not-a-real-token-at-all", password: "a-new-long-password-1", confirm: "a-new-long-password-1" }, "", 400),
    // The time step's first open time links to the confirm step, whose form posts back to it.
    prepared("book.$org", "patient books online", 302, async () => {
      const times = `/book/lumen?location=${location}&service=${fields.serviceId}&provider=any&date=${fields.date}`;
      const html = (await (await worker.send(times, { headers: { cookie: patient } })).text()).replaceAll("&amp;", "&");
      return { path: /href="(\/book\/lumen\?[^"]*start=\d+)"/.exec(html)?.[1] ?? times, fields: {}, cookie: patient };
    }),
    action("unsubscribe.$token", "unsubscribe (unknown link)", "/unsubscribe/AAAA.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", {}, "", 404),
    action("webhooks.stripe", "Stripe webhook (no keys)", "/webhooks/stripe", {}, "", 404),
    action("webhooks.twilio.sms", "SMS webhook (no provider)", "/webhooks/twilio/sms", { From: "+12125550100", Body: "STOP" }, "", 404),
    action("logout", "sign out", "/logout", {}, await worker.signIn(ROLE_EMAILS.front_desk)),
  ];
}

/** Waits until no database request has been in flight for a while (the Worker's after-the-answer work is done). */
export async function databaseIdle(worker: Worker, quietMs = 60) {
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 15));
    if (worker.hrana.inFlight === 0 && performance.now() - worker.hrana.lastAnswered >= quietMs) return;
  }
}

/** Runs each step once with the endpoint's trace on, counting its database round trips. */
/**
 * Counts each step's database round trips. Overlap is inferred from timing, so a loaded machine can
 * make two parallel reads look serial, or let work deferred past the answer (audits, the session
 * touch) finish before the answer's headers reach us. A page (a read that can be sent again) that
 * measures over `remeasurePagesOver` is measured twice more and keeps its least count: a page that
 * really waits on more trips measures the same every time.
 */
export async function countRoundTrips(worker: Worker, steps: TourStep[], options: { remeasurePagesOver?: number } = {}): Promise<RoundTripCount[]> {
  const counts: RoundTripCount[] = [];
  for (const step of steps) {
    let count = await measureStep(worker, step);
    for (let again = 0; step.kind === "page" && options.remeasurePagesOver !== undefined && count.sequential > options.remeasurePagesOver && again < 2; again++) {
      const next = await measureStep(worker, step);
      if (next.sequential < count.sequential) count = next;
    }
    counts.push(count);
  }
  return counts;
}

async function measureStep(worker: Worker, step: TourStep): Promise<RoundTripCount> {
  if (step.prepare) {
    await step.prepare();
    // What the preparing requests do after answering (their audits) is not this step's work.
    await databaseIdle(worker);
  }
  const trace: RoundTrip[] = [];
  worker.hrana.trace = trace;
  const res = await step.send();
  // Remix reads everything before it starts rendering: the answer begins when its headers come.
  const answered = performance.now();
  const body = await res.text();
  // Work the Worker does after answering (waitUntil) still counts as database work, but not as waiting.
  await databaseIdle(worker);
  worker.hrana.trace = null;
  // Single fetch answers a redirect as 202 with the target in its body.
  const status = step.kind === "action" && res.status === 202 ? 302 : res.status;
  if (status !== (step.expect === 303 ? 302 : step.expect)) throw new Error(`${step.name} (${step.route}) answered ${res.status}, expected ${step.expect}: ${body.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ").slice(0, 300)}`);
  if (process.env.TOUR_SQL) for (const t of trace) console.error(`  ${step.name} [${(t.start - trace[0].start).toFixed(0)}-${(t.end - trace[0].start).toFixed(0)}] ${t.sql.join(" | ")}`);
  return { name: step.name, kind: step.kind, route: step.route, budget: step.budget, total: trace.length, sequential: sequentialRoundTrips(trace.filter((trip) => trip.end <= answered)) };
}
