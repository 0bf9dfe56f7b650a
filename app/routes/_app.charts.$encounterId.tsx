import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, type ClientLoaderFunctionArgs } from "@remix-run/react";
import { useMemo, type ComponentProps } from "react";
import { offlineKeyGrant } from "~/pwa/offline-key.server";
import { currentOfflineKey } from "~/pwa/offline-key";
import { keptChart, keptCharts } from "~/pwa/chart-outbox";
import { CHART_SHELL_ID, showingChartShell } from "~/pwa/chart-shell";
import { KeptChartsShell, type KeptChartLink } from "~/charting/kept-charts-shell";
import { networkFailed, networkWorked, seemsOffline } from "~/pwa/network-state";
import { useChartOutbox } from "~/charting/use-chart-outbox";
import { signingPinOf } from "~/charting/signing-pin.server";
import { useOnline } from "~/pwa/use-online";
import { OutboxStatus } from "~/charting/outbox-status";
import { Card, Notice, PageHeader, buttonClass, secondaryButtonClass } from "~/components/ui";
import { ErrorList } from "~/components/field";
import { notFound, requirePermission } from "~/auth/guards.server";
import { setProviderState } from "~/board/board.server";
import { NO_STORE } from "~/lib/forms.server";
import { AnswerFields } from "~/charting/answer-fields";
import { chartAction, type ChartFormReply, type Saved } from "~/charting/chart-actions.server";
import { ChartGlance } from "~/charting/chart-glance";
import { chartPage } from "~/charting/chart-page.server";
import { ConflictChooser } from "~/charting/conflict-chooser";
import { addendumAction } from "~/charting/addendum.server";
import { PointsEditor } from "~/charting/points-editor";
import { SignedChart } from "~/charting/signed-chart";
import { SignerFields } from "~/charting/signer-fields";
import { ReviewPanel } from "~/charting/review-panel";
import { ChartPhotos } from "~/charting/chart-photos";
import { RequirementsPanel } from "~/consents/requirements-panel";
import { decideReview } from "~/charting/reviews.server";

const SAVED_MESSAGES: Record<Saved | "cosigned" | "returned" | "photo" | "photo-removed" | "consent" | "exam", string> = {
  draft: "Draft saved.",
  copied: "Copied the last visit's points. Check each amount and lot before signing.",
  signed: "Chart signed. The charted amounts were taken out of stock.",
  resolved: "Chart saved with the versions you chose.",
  addendum: "Addendum signed and added.",
  cosigned: "Co-signed.",
  photo: "Photo added. Its location and camera details were removed.",
  consent: "Consent signed and kept with the patient's record.",
  exam: "Good-faith exam recorded.",
  "photo-removed": "Photo removed.",
  returned: "Returned to the provider with your comment.",
};

export const meta: MetaFunction = () => [{ title: "Chart · Atrium" }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  // The chart shell (ADR 030): this page with no chart in it, for the provider's tablet to keep.
  if (params.encounterId === CHART_SHELL_ID) {
    const session = await requirePermission(request, context, "write:chart:own");
    return data({ shell: true as const, userId: session.user.id }, { headers: NO_STORE });
  }
  const session = await requirePermission(request, context, "read:chart:organization");
  const [page, pin] = await Promise.all([chartPage(context, session, params.encounterId ?? ""), signingPinOf(context, session.user.id)]);
  if (!page) throw notFound("No chart with that id in your organization.");
  const saved = new URL(request.url).searchParams.get("saved");
  // The provider's tablet keeps this chart sealed to edit it offline (ADR 018, 029): only they get the key here.
  const offline = page.editable ? await offlineKeyGrant(context.env, session.user.id, context.clock.now().getTime(), session.idleMinutes * 60_000) : null;
  // The PIN's check value goes only to the chart's provider, to be kept sealed with the chart for signing offline.
  return data({ ...page, userId: session.user.id, offline, pinCheck: page.editable ? pin.check : null, fromTablet: false, saved: (SAVED_MESSAGES[saved as keyof typeof SAVED_MESSAGES] as string | undefined) ?? null }, { headers: NO_STORE });
}

type ServerChart = Exclude<Awaited<ReturnType<typeof loader>>["data"], { shell: true }>;

/** The chart as this tablet kept it, sealed for its provider, with their draft on top; or null. */
async function chartOnTablet(encounterId: string) {
  const opened = await currentOfflineKey();
  const kept = opened ? await keptChart<ServerChart>(opened.key, opened.userId, encounterId) : null;
  return kept ? { ...kept.page, offline: null, saved: null, fromTablet: true } : null;
}

/**
 * Online, the server's chart. With no network: the chart as this tablet kept it — after a tap from
 * My day when the Wi-Fi dropped, or on a reload or cold launch, when the service worker answers
 * with the chart shell (ADR 030) and this runs as the page starts.
 */
export async function clientLoader({ serverLoader, params }: ClientLoaderFunctionArgs) {
  const id = (params.encounterId ?? "").slice(0, 64);
  let server: Awaited<ReturnType<typeof serverLoader<typeof loader>>>;
  try {
    server = await serverLoader<typeof loader>();
    networkWorked();
  } catch (error) {
    // A fetch that failed for want of a network is a TypeError (whatever navigator.onLine says).
    if (error instanceof TypeError) networkFailed();
    if (!seemsOffline() && !(error instanceof TypeError)) throw error;
    const kept = await chartOnTablet(id);
    if (!kept) throw error;
    return kept;
  }
  if (!("shell" in server)) return server;
  const kept = id === CHART_SHELL_ID ? null : await chartOnTablet(id);
  if (kept) return kept;
  const opened = await currentOfflineKey();
  const charts = opened && opened.userId === server.userId ? await keptCharts<ServerChart>(opened.key, opened.userId).catch(() => []) : null;
  const list: KeptChartLink[] | null = charts?.map((c) => ({ encounterId: c.encounterId, patientName: c.page.patient.name, serviceName: c.page.visit.serviceName, when: c.page.visit.when, draft: Boolean(c.draft) })) ?? null;
  return { ...server, charts: list, asked: id === CHART_SHELL_ID ? null : id };
}
// Runs as the page starts only when the page is the chart shell (the service worker answered for a
// chart with no network). A real chart starts with the server's data: running the clientLoader as
// it starts leaves the router uninitialized meanwhile, and Remix 2's single fetch makes no server
// request for a link tapped in that moment — the next page rendered with no data (CI, stop 22).
clientLoader.hydrate = showingChartShell();

export async function action({ request, context, params }: ActionFunctionArgs) {
  const form = await request.formData();
  const id = (params.encounterId ?? "").slice(0, 64);
  const intent = form.get("intent");
  if (intent === "cosign" || intent === "return") {
    const reviewer = await requirePermission(request, context, "review:chart:organization");
    const comment = String(form.get("comment") ?? "").trim().slice(0, 2000);
    if (intent === "return" && comment.length < 3) return data<Omit<ChartFormReply, "status">>({ message: "Say what the provider should address.", errors: { comment: "Say what the provider should address." } }, { status: 400, headers: NO_STORE });
    if (!(await decideReview(context, reviewer, id, intent, comment || null))) return data<Omit<ChartFormReply, "status">>({ message: "This chart is not waiting for review.", errors: {} }, { status: 409, headers: NO_STORE });
    throw redirect(`/charts/${id}?saved=${intent === "cosign" ? "cosigned" : "returned"}`, { headers: NO_STORE });
  }
  const session = await requirePermission(request, context, "write:chart:own");
  const result = form.get("intent") === "addendum" ? await addendumAction(context, session, id, form) : await chartAction(context, session, id, form);
  // Signed: the provider is free again on the floor (unless a patient is in their room, which the board shows first).
  if (result.ok && result.saved === "signed" && result.locationId) {
    const location = session.locations.find((l) => l.id === result.locationId);
    if (location) await setProviderState(context, session.user, location, session.user.id, "available");
  }
  // Post, then redirect: a reload never signs or saves twice.
  if (result.ok) throw redirect(`/charts/${id}?saved=${result.saved}`, { headers: NO_STORE });
  const { ok: _ok, status, ...reply } = result;
  return data(reply, { status, headers: NO_STORE });
}

export default function ChartRoute() {
  const page = useLoaderData<typeof clientLoader>();
  if ("shell" in page) return <KeptChartsShell charts={"charts" in page ? page.charts : undefined} asked={"asked" in page ? page.asked : null} />;
  return <ChartPage page={page} />;
}

function ChartPage({ page }: { page: ServerChart & { fromTablet: boolean } }) {
  const reply = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state !== "idle" && navigation.formMethod === "POST";
  const errors = reply?.errors ?? {};
  const { encounter, visit, patient, template } = page;
  // What the tablet keeps (no key, no one-time message).
  const snapshot = useMemo(() => ({ ...page, offline: null, saved: null }), [page]);
  const outbox = useChartOutbox({ userId: page.userId, encounterId: encounter.id, revision: encounter.revision, offline: page.offline, fromTablet: page.fromTablet, pinCheck: page.pinCheck }, snapshot);
  const online = useOnline();
  // A chart kept on the tablet by an earlier version may lack these: the server decides then.
  const photoConsent = page.photoConsent as typeof page.photoConsent | undefined;
  const conflict = reply?.conflict ?? (outbox.pending.find((c) => c.settled === "conflict")?.answer?.conflict as ComponentProps<typeof ConflictChooser>["conflict"] | undefined);
  return (
    <>
      <PageHeader
        title={`${patient.name}${patient.preferredName ? ` “${patient.preferredName}”` : ""}`}
        description={`${visit.serviceName} · ${visit.when} · ${visit.providerName} · ${template.name} chart (v${template.version})`}
        actions={
          <div className="flex flex-wrap items-center gap-2">
            <span className={`rounded-full px-3 py-1 text-sm font-semibold ${encounter.status === "signed" ? "bg-emerald-100 text-emerald-900" : "bg-amber-100 text-amber-950"}`}>{encounter.status === "signed" ? "Signed" : "Draft"}</span>
            <Link to={`/appointments/${visit.appointmentId}`} className={secondaryButtonClass}>Visit</Link>
            <Link to={`/patients/${patient.id}`} className={secondaryButtonClass}>Patient record</Link>
            <a href={`/charts/${encounter.id}/pdf`} className={secondaryButtonClass}>Chart PDF</a>
          </div>
        }
      />
      <div className="space-y-3">
        {page.saved && !reply ? <Notice tone="success">{page.saved}</Notice> : null}
        {reply?.message ? <Notice tone="error">{reply.message}</Notice> : null}
      </div>
      {page.editable ? <OutboxStatus outbox={outbox} fromTablet={page.fromTablet} /> : null}
      {conflict ? (
        <div onSubmitCapture={() => void outbox.dismiss(outbox.pending.filter((c) => c.settled === "conflict").map((c) => c.id))}>
          <ConflictChooser conflict={conflict} sections={template.sections} lots={page.lots} />
        </div>
      ) : null}
      <div className="mt-4 grid gap-6 xl:grid-cols-[1fr_20rem]">
        {/* Allergies and history come first on a tablet (safety before charting), beside the chart on a wide screen. */}
        <aside aria-label="Patient at a glance" className="xl:col-start-2 xl:row-start-1">
          <ChartGlance health={page.health} last={page.last} canCopy={page.editable && template.faceChart} formId="chart-form" />
        </aside>
        <div className="min-w-0 space-y-6 xl:col-start-1 xl:row-start-1">
          {encounter.status === "draft" ? (
            <div onSubmitCapture={outbox.onSubmitCapture}>
              <RequirementsPanel encounterId={encounter.id} requirements={page.requirements} canCollect={page.editable} canExamine={page.canRecordExam} offline={{ forms: page.consentForms ?? [], queued: outbox.pending.filter((c) => !c.settled && c.consentTemplateId).map((c) => c.consentTemplateId!), online, patientName: patient.name }} />
            </div>
          ) : null}
          {page.editable ? (
            <Form method="post" id="chart-form" data-outbox="chart" className="space-y-6" key={`${encounter.revision}-${outbox.draft?.savedAt ?? "server"}`} onSubmitCapture={outbox.onSubmitCapture}>
              <input type="hidden" name="revision" value={encounter.revision} />
              {template.faceChart ? (
                <Card title="Face chart">
                  <PointsEditor initial={reply?.rows ?? (outbox.draft?.rows as typeof page.pointInputs | undefined) ?? page.pointInputs} lots={page.lots} errors={errors} />
                </Card>
              ) : null}
              <Card title="Chart">
                <AnswerFields sections={template.sections} defaults={reply?.answersRaw ?? outbox.draft?.answersRaw ?? page.answersRaw} errors={errors} />
              </Card>
              <div className="sticky bottom-0 z-10 flex flex-wrap items-center gap-3 border-t border-stone-200 bg-stone-50/95 py-3">
                <button type="submit" name="intent" value="save" className={buttonClass} disabled={busy}>
                  Save draft
                </button>
                <span className="text-sm text-stone-700">A draft can be changed until you sign it.</span>
              </div>
              <Card title="Sign the chart">
                <p className="mb-3 text-stone-700">Signing saves the chart, makes it final (corrections become addenda) and takes the charted amounts out of stock.</p>
                <SignerFields mfa={page.mfa} errors={errors} offline={!online} />
                <button type="submit" name="intent" value="sign" className={`${buttonClass} mt-3`} disabled={busy}>
                  Sign chart
                </button>
              </Card>
            </Form>
          ) : (
            <Card title={encounter.status === "signed" ? `Signed by ${encounter.signerName} · ${encounter.signedAt}` : "Draft (read only)"}>
              <SignedChart sections={template.sections} answers={encounter.answers} points={page.points} faceChart={template.faceChart} />
            </Card>
          )}
          <section id="photos" aria-label="Photos" className="scroll-mt-4">
            <div onSubmitCapture={outbox.onSubmitCapture}>
              <ChartPhotos encounterId={encounter.id} photos={page.photos} editable={page.editable} clientId={page.photoClientId} waiting={outbox.photos} consent={photoConsent ? { ...photoConsent, queued: outbox.pending.some((c) => !c.settled && c.consentTemplateId === photoConsent.templateId) } : undefined} />
            </div>
          </section>
          {page.review ? <ReviewPanel review={page.review} canReview={page.canReview} errors={errors} busy={busy} /> : null}
          {encounter.status === "signed" ? (
            <Card title="Addenda">
              {page.addenda.length === 0 ? (
                <p className="text-stone-600">No addenda. A correction to a signed chart is added here, signed, and shown in order.</p>
              ) : (
                <ol className="space-y-3">
                  {page.addenda.map((a, i) => (
                    <li key={a.id} className="rounded-lg border border-stone-200 p-3">
                      <p className="text-sm font-semibold text-stone-700">Addendum {i + 1} · {a.authorName} · {a.when}</p>
                      <p className="mt-1 whitespace-pre-wrap">{a.body}</p>
                    </li>
                  ))}
                </ol>
              )}
              {page.canAddend ? (
                <Form method="post" className="mt-4 space-y-3 border-t border-stone-200 pt-4">
                  <input type="hidden" name="intent" value="addendum" />
                  <div>
                    <label htmlFor="addendum-body" className="block text-sm font-medium">Addendum</label>
                    <textarea id="addendum-body" name="body" rows={3} maxLength={5000} className="mt-1 block w-full rounded-lg border border-stone-400 px-3 py-2" aria-invalid={errors.body ? true : undefined} aria-describedby={errors.body ? "addendum-body-error" : undefined} />
                    <ErrorList id="addendum-body-error" errors={errors.body ? [errors.body] : undefined} />
                  </div>
                  <SignerFields mfa={page.mfa} errors={errors} />
                  <button type="submit" className={buttonClass} disabled={busy}>Sign and add addendum</button>
                </Form>
              ) : null}
            </Card>
          ) : null}
        </div>
      </div>
    </>
  );
}
