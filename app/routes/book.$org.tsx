import { parseWithZod } from "@conform-to/zod";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useLocation } from "@remix-run/react";
import { Field, FormErrors } from "~/components/field";
import { Notice, buttonClass } from "~/components/ui";
import { loadSession } from "~/auth/session.server";
import { createSession } from "~/auth/session.server";
import { findOrganization, loadBookingStep, organizationIdBySlug } from "~/booking/booking-flow.server";
import { finishSignup, startSignup } from "~/booking/registration.server";
import { z } from "zod";
import { RegistrationSchema } from "~/booking/schemas";
import { StepSchema, type Step } from "~/booking/step-url";
import { stepHref } from "~/booking/step-href";
import { AlternativeTimes, Choices, DateOptions, Option, OptionList, ServiceOptions, StepHeading, TimeOptions, type StepData } from "~/booking/steps";
import { replyField, replyFormErrors, type ServerReply } from "~/components/plain-form";
import { NO_STORE } from "~/lib/forms.server";
import { bookAppointment } from "~/scheduling/booking.server";
import { formatDateTime, formatMoney } from "~/scheduling/format";
import { stripeGateway } from "~/payments/stripe-gateway.server";
import { visitAsks } from "~/payments/deposits.server";

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [{ title: d ? `Book at ${d.organization.name}` : "Book · Atrium" }];

async function context(request: Request, ctx: LoaderFunctionArgs["context"], slug: string) {
  const parsed = StepSchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) {
    const badDate = parsed.error.issues.some((i) => i.path[0] === "date");
    throw new Response(badDate ? "That day doesn't exist. Use a real date like 2026-11-23, or start again from the first step." : "That booking link is not valid. Start again from the first step.", { status: 400 });
  }
  // The clinic, the visitor's session and the step's data at once: the step is read by the clinic's address.
  const [organization, loaded, current] = await Promise.all([findOrganization(ctx, slug), loadSession(ctx, request), loadBookingStep(ctx, organizationIdBySlug(slug), parsed.data)]);
  if (!organization) throw new Response("No clinic with that address.", { status: 404 });
  const session = loaded && "session" in loaded && !loaded.session.mfaPending ? loaded.session : null;
  const viewer =
    !session ? { kind: "anonymous" as const }
    : session.organization.id !== organization.id ? { kind: "elsewhere" as const }
    : session.user.role === "patient" ? { kind: "patient" as const, name: session.user.name, userId: session.user.id, patientId: session.patientId }
    : { kind: "staff" as const };
  return { organization, step: parsed.data, viewer, current };
}

export async function loader({ request, context: ctx, params }: LoaderFunctionArgs) {
  const { organization, current, viewer } = await context(request, ctx, params.org ?? "");
  return data({ organization, current, signupOpen: canEmailCodes(ctx), takesDeposits: stripeGateway(ctx.env) !== null, viewer: viewer.kind === "patient" ? { kind: viewer.kind, name: viewer.name } : { kind: viewer.kind } }, { headers: NO_STORE });
}

export async function action({ request, context: ctx, params }: ActionFunctionArgs) {
  const { organization, step, viewer, current } = await context(request, ctx, params.org ?? "");
  const formData = await request.formData();
  if (formData.get("intent") === "verify" && viewer.kind === "anonymous") return verifySignup(ctx, organization, formData);
  if (current.stage !== "details") {
    // The slot vanished between the page and this post: someone else just booked it.
    const alternatives = current.stage === "time" && step.start ? [...current.slots].sort((a, b) => Math.abs(a - step.start!) - Math.abs(b - step.start!)).slice(0, 5).sort((a, b) => a - b) : [];
    return data({ result: null, message: "That time was just taken. Here are the nearest open times.", alternatives }, { status: 409, headers: NO_STORE });
  }
  if (viewer.kind === "staff" || viewer.kind === "elsewhere") {
    return data({ result: null, message: "You're signed in with an account that can't book here as a patient. Sign out first, or book from the staff schedule.", alternatives: [] as number[] }, { status: 403, headers: NO_STORE });
  }
  if (viewer.kind === "patient") {
    const patientId = viewer.patientId;
    if (!patientId) return data({ result: null, message: "Your account isn't linked to a patient record here yet. Call the clinic to book.", alternatives: [] as number[] }, { status: 400, headers: NO_STORE });
    return book(ctx, organization.id, viewer.userId, patientId, { locationId: current.location.id, serviceId: current.service.id, providerId: current.provider === "any" ? null : current.provider.id, startsAt: current.start });
  } else {
    const submission = parseWithZod(formData, { schema: RegistrationSchema });
    if (submission.status !== "success") return data({ result: submission.reply({ hideFields: ["password"] }), message: null, alternatives: [] as number[] }, { status: 400, headers: NO_STORE });
    if (!current.service.newPatientsAllowed) {
      return data({ result: submission.reply({ formErrors: ["This service is for existing patients. Sign in, or choose another service."], hideFields: ["password"] }), message: null, alternatives: [] as number[] }, { status: 400, headers: NO_STORE });
    }
    if (!canEmailCodes(ctx)) return data({ result: submission.reply({ formErrors: [NO_EMAIL], hideFields: ["password"] }), message: null, alternatives: [] as number[] }, { status: 400, headers: NO_STORE });
    const started = await startSignup(ctx, organization, submission.value, { locationId: current.location.id, serviceId: current.service.id, providerId: current.provider === "any" ? null : current.provider.id, startsAt: current.start });
    if (!started.ok) return data({ result: submission.reply({ formErrors: [started.message], hideFields: ["password"] }), message: null, alternatives: [] as number[] }, { status: started.status, headers: NO_STORE });
    // The same answer for every address: the email says whether there is a code or an account.
    return data({ result: null, message: null, alternatives: [] as number[], verify: { pendingId: started.pendingId, email: submission.value.email, error: null as string | null } }, { headers: NO_STORE });
  }
}

type Chosen = { locationId: string; serviceId: string; providerId: string | null; startsAt: number };

/** Books the chosen visit for a patient; a new account's session cookie rides along either way. */
async function book(ctx: ActionFunctionArgs["context"], organizationId: string, userId: string, patientId: string, chosen: Chosen, setCookie?: string) {
  const cookieHeaders: Record<string, string> = setCookie ? { "Set-Cookie": setCookie } : {};
  const booked = await bookAppointment(ctx, { id: userId, role: "patient", organizationId }, { ...chosen, patientId });
  if (!booked.ok) {
    return data({ result: null, message: booked.message, alternatives: booked.alternatives }, { status: booked.code === "slot_taken" ? 409 : 400, headers: { ...NO_STORE, ...cookieHeaders } });
  }
  // A deposit to pay or a card to keep on file (ADR 039): the visit's page asks for it next.
  const asks = stripeGateway(ctx.env) ? await visitAsks(ctx, organizationId, booked.appointmentId) : null;
  if (asks && (asks.depositDue || asks.cardDue)) return redirect(`/portal/visits/${booked.appointmentId}?booked=1`, { headers: { ...NO_STORE, ...cookieHeaders } });
  return redirect(`/portal?booked=${booked.appointmentId}`, { headers: { ...NO_STORE, ...cookieHeaders } });
}

/** The emailed code: the account is made, signed in, and the visit chosen before signing up is booked. */
async function verifySignup(ctx: ActionFunctionArgs["context"], organization: { id: string }, formData: FormData) {
  const parsed = VerifySchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success) return data({ result: null, message: null, alternatives: [] as number[], verify: { pendingId: String(formData.get("pendingId") ?? "").slice(0, 64), email: "", error: "Enter the 6-digit code from the email." } }, { status: 400, headers: NO_STORE });
  const finished = await finishSignup(ctx, organization.id, parsed.data.pendingId, parsed.data.code);
  if (!finished.ok) return data({ result: null, message: null, alternatives: [] as number[], verify: { pendingId: parsed.data.pendingId, email: "", error: finished.message } }, { status: finished.status, headers: NO_STORE });
  const { setCookie } = await createSession(ctx, { id: finished.userId, organizationId: organization.id }, { mfaRequired: false });
  return book(ctx, organization.id, finished.userId, finished.patientId, finished.booking, setCookie);
}

const VerifySchema = z.object({ intent: z.literal("verify"), pendingId: z.string().uuid(), code: z.string().trim().regex(/^\d{3}\s?\d{3}$/) });

const NO_EMAIL = "Signing up online needs email, which this clinic hasn't set up yet. Call us to book your first visit, or sign in if you've been here before.";

/** Sign-up codes can only reach people by email: with local delivery, new patients book by phone. */
function canEmailCodes(ctx: ActionFunctionArgs["context"]) {
  return ctx.env.EMAIL_PROVIDER !== "local";
}


/** The code step: the same for every address (the email says whether there is a code or an account). */
function VerifyCode({ pendingId, email, error, autoConfirm }: { pendingId: string; email: string; error: string | null; autoConfirm: boolean }) {
  return (
    <Form method="post" className="space-y-4">
      <input type="hidden" name="intent" value="verify" />
      <input type="hidden" name="pendingId" value={pendingId} />
      <Notice tone="success">{email ? `We emailed a 6-digit code to ${email}.` : "We emailed you a 6-digit code."} If this address already has an account, the email says how to sign in instead.</Notice>
      <Field label="Code from the email" errors={error ? [error] : undefined} inputProps={{ name: "code", id: "signup-code", inputMode: "numeric", autoComplete: "one-time-code", required: true, maxLength: 7, pattern: "\\d{3} ?\\d{3}" }} />
      <button type="submit" className={`${buttonClass} w-full`}>
        {autoConfirm ? "Create account and book" : "Create account and send request"}
      </button>
    </Form>
  );
}

function DetailsStep({ data: d, viewer, href, signupOpen, takesDeposits }: { data: Extract<StepData, { stage: "details" }>; viewer: { kind: string; name?: string }; href: (s: Step) => string; signupOpen: boolean; takesDeposits: boolean }) {
  const actionData = useActionData<typeof action>();
  const { pathname, search } = useLocation();
  // Checked on the server only (field messages come back with the answer): the phone doesn't
  // download a form library for one form (issue 10: booking pages under 90 KB of JavaScript).
  const reply = actionData && "result" in actionData ? (actionData.result as ServerReply | null) : null;
  const field = (name: string) => replyField(reply, name, "register");
  const base = { location: d.location.id, service: d.service.id, provider: d.provider === "any" ? "any" : d.provider.id, date: d.date };
  return (
    <>
      <StepHeading number={6} title={viewer.kind === "patient" ? "Review and confirm" : "Your details"} />
      <Choices data={d} href={href} />
      <div className="mb-5 rounded-xl border border-brand-100 bg-brand-50 p-4">
        <p className="font-semibold">{d.service.name}</p>
        <p>{formatDateTime(d.start, d.location.timeZone)}</p>
        <p className="text-sm text-stone-700">
          {d.location.name}, {d.location.addressLine1}, {d.location.city} · {d.service.durationMinutes} min · {d.service.priceCents ? formatMoney(d.service.priceCents) : "Free"}{takesDeposits && d.service.depositCents ? ` · ${formatMoney(d.service.depositCents)} deposit to hold it` : ""}
        </p>
        {!d.service.autoConfirm ? <p className="mt-2 text-sm">This is a request: the clinic confirms it, usually within one business day.</p> : null}
        <Link to={href(base)} className="mt-2 inline-block text-sm font-medium text-brand-700 underline">
          Change time
        </Link>
      </div>
      {actionData?.message ? (
        <div className="mb-4 space-y-2">
          <Notice tone="error">{actionData.message}</Notice>
          <AlternativeTimes starts={actionData.alternatives} timeZone={d.location.timeZone} href={(start) => href({ ...base, start })} />
        </div>
      ) : null}
      {viewer.kind === "patient" ? (
        <Form method="post">
          <p className="mb-3">Booking as {viewer.name}.</p>
          <button type="submit" className={`${buttonClass} w-full`}>
            {d.service.autoConfirm ? "Confirm booking" : "Send request"}
          </button>
        </Form>
      ) : viewer.kind === "anonymous" && actionData && "verify" in actionData && actionData.verify ? (
        <VerifyCode pendingId={actionData.verify.pendingId} email={actionData.verify.email} error={actionData.verify.error} autoConfirm={d.service.autoConfirm} />
      ) : viewer.kind === "anonymous" && !signupOpen ? (
        <>
          <Notice>New here? Signing up online needs email, which this clinic hasn&apos;t set up yet: call {d.location.name} at <a href={`tel:${d.location.phone.replace(/[^\d+]/g, "")}`} className="font-semibold underline">{d.location.phone}</a> to book your first visit.</Notice>
          <p className="mt-4 text-sm">
            <Link to={`/login?redirectTo=${encodeURIComponent(pathname + search)}`} className="font-medium text-brand-700 underline">
              Sign in to book
            </Link>
          </p>
        </>
      ) : viewer.kind === "anonymous" ? (
        <>
          <p className="mb-4 text-sm">
            Already a patient?{" "}
            <Link to={`/login?redirectTo=${encodeURIComponent(pathname + search)}`} className="font-medium text-brand-700 underline">
              Sign in to book
            </Link>
          </p>
          <Form method="post" id="register" noValidate className="space-y-4">
            <FormErrors errors={replyFormErrors(reply)} />
            <Field label="First name" errors={field("firstName").errors} inputProps={{ ...field("firstName").inputProps, type: "text", autoComplete: "given-name" }} />
            <Field label="Last name" errors={field("lastName").errors} inputProps={{ ...field("lastName").inputProps, type: "text", autoComplete: "family-name" }} />
            <Field label="Date of birth" errors={field("dateOfBirth").errors} inputProps={{ ...field("dateOfBirth").inputProps, type: "date", autoComplete: "bday" }} />
            <Field label="Mobile phone" errors={field("phone").errors} inputProps={{ ...field("phone").inputProps, type: "tel", autoComplete: "tel" }} />
            <Field label="Email" errors={field("email").errors} inputProps={{ ...field("email").inputProps, type: "email", autoComplete: "email" }} />
            <Field label="Choose a password" hint="At least 12 characters. You'll use it to manage your visits." errors={field("password").errors} inputProps={{ ...field("password").inputProps, defaultValue: undefined, type: "password", autoComplete: "new-password" }} />
            <fieldset className="space-y-2">
              <legend className="text-sm font-medium">Reminders and updates</legend>
              <label className="flex min-h-11 items-center gap-3">
                <input type="checkbox" name="smsConsent" defaultChecked={field("smsConsent").checked} className="h-5 w-5" /> Text messages
              </label>
              <label className="flex min-h-11 items-center gap-3">
                <input type="checkbox" name="emailConsent" defaultChecked={field("emailConsent").checked} className="h-5 w-5" /> Email
              </label>
            </fieldset>
            <button type="submit" className={`${buttonClass} w-full`}>
              Continue
            </button>
            <p className="text-sm text-stone-700">We'll email you a 6-digit code to confirm the address, then create your account and {d.service.autoConfirm ? "book" : "send the request"}.</p>
          </Form>
        </>
      ) : (
        <Notice>You're signed in with a staff account or another clinic's account. Sign out to book as a patient, or book from the staff schedule.</Notice>
      )}
    </>
  );
}

/** After a failed post the page may be at an earlier step (the time vanished): say so there too. */
function ActionMessage({ current, href }: { current: StepData; href: (s: Step) => string }) {
  const actionData = useActionData<typeof action>();
  if (!actionData?.message || current.stage === "details") return null;
  const timeZone = current.stage === "location" ? "UTC" : current.location.timeZone;
  const base = current.stage === "time" ? { location: current.location.id, service: current.service.id, provider: current.provider === "any" ? "any" : current.provider.id, date: current.date } : null;
  return (
    <div className="mb-4 space-y-2">
      <Notice tone="error">{actionData.message}</Notice>
      {base ? <AlternativeTimes starts={actionData.alternatives} timeZone={timeZone} href={(start) => href({ ...base, start })} /> : null}
    </div>
  );
}

export default function BookPage() {
  const { organization, current, viewer, signupOpen, takesDeposits } = useLoaderData<typeof loader>();
  const base = `/book/${organization.slug}`;
  const href = (s: Step) => stepHref(base, s);
  return (
    <div className="min-h-full pb-10">
      <header className="bg-brand-700 px-4 py-3 text-white">
        <p className="mx-auto max-w-xl font-semibold">{organization.name}</p>
      </header>
      <main id="main" className="mx-auto max-w-xl px-4 py-5">
        <ActionMessage current={current} href={href} />
        {current.stage === "location" ? (
          <>
            <StepHeading number={1} title="Choose a location" />
            <OptionList label="Locations">
              {current.locations.map((l) => (
                <Option key={l.id} to={href({ location: l.id })} title={l.name} detail={`${l.addressLine1}, ${l.city}, ${l.region}`} />
              ))}
            </OptionList>
          </>
        ) : current.stage === "service" ? (
          <>
            <StepHeading number={2} title="Choose a service" />
            <Choices data={current} href={href} />
            <ServiceOptions data={current} href={href} />
          </>
        ) : current.stage === "provider" ? (
          <>
            <StepHeading number={3} title="Choose a provider" />
            <Choices data={current} href={href} />
            <OptionList label="Providers">
              <Option to={href({ location: current.location.id, service: current.service.id, provider: "any" })} title="Any available provider" detail="The most open times" />
              {current.providers.map((p) => (
                <Option key={p.id} to={href({ location: current.location.id, service: current.service.id, provider: p.id })} title={p.name} />
              ))}
            </OptionList>
          </>
        ) : current.stage === "date" ? (
          <>
            <StepHeading number={4} title="Choose a day" />
            <Choices data={current} href={href} />
            <DateOptions data={current} href={href} />
          </>
        ) : current.stage === "time" ? (
          <>
            <StepHeading number={5} title="Choose a time" />
            <Choices data={current} href={href} />
            <p className="mb-3 text-sm text-stone-600">Times are in {current.location.name}'s local time.</p>
            <TimeOptions data={current} href={href} />
          </>
        ) : (
          <DetailsStep data={current} viewer={viewer} href={href} signupOpen={signupOpen} takesDeposits={takesDeposits} />
        )}
      </main>
    </div>
  );
}

export { PublicErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
