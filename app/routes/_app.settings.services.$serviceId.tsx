import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { Card, Notice, PageHeader } from "~/components/ui";
import { notFound, requirePermission } from "~/auth/guards.server";
import { parseWithZod } from "@conform-to/zod";
import { NO_STORE } from "~/lib/forms.server";
import { ProviderOverridesSchema, ServiceSchema } from "~/settings/schemas";
import { ProviderOverridesCard } from "~/settings/provider-overrides";
import { ServiceForm } from "~/settings/service-form";
import { getService, organizationProviders, saveProviderOverrides, saveService } from "~/settings/services.server";

export const meta: MetaFunction = () => [{ title: "Service · Atrium" }];

const dollars = (cents: number) => (cents / 100).toFixed(2);

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const session = await requirePermission(request, context, "manage:service:organization");
  const [found, providers] = await Promise.all([getService(context, session, (params.serviceId ?? "").slice(0, 64)), organizationProviders(context, session)]);
  if (!found) throw notFound("No service with that id in your organization.");
  const { service: s, providerIds, providers: assigned } = found;
  const on = (v: boolean) => (v ? "on" : undefined);
  return data(
    {
      name: s.name,
      providers,
      overrides: assigned.map((p) => ({ userId: p.userId, name: p.name, durationMinutes: p.durationMinutes === null ? "" : String(p.durationMinutes), price: p.priceCents === null ? "" : dollars(p.priceCents) })),
      base: { durationMinutes: s.durationMinutes, price: dollars(s.priceCents) },
      defaults: { name: s.name, category: s.category, description: s.description, durationMinutes: s.durationMinutes, bufferBeforeMinutes: s.bufferBeforeMinutes, bufferAfterMinutes: s.bufferAfterMinutes, price: dollars(s.priceCents), deposit: s.depositCents ? dollars(s.depositCents) : "", roomType: s.roomType ?? "", active: on(s.active), onlineBookable: on(s.onlineBookable), autoConfirm: on(s.autoConfirm), newPatientsAllowed: on(s.newPatientsAllowed), intakeFormRequired: on(s.intakeFormRequired), billedByProduct: on(s.billedByProduct), hsaEligible: on(s.hsaEligible), cardRequired: on(s.cardRequired), procedureCode: s.procedureCode ?? "", diagnosisCode: s.diagnosisCode ?? "", providerIds },
    },
    { headers: NO_STORE },
  );
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const session = await requirePermission(request, context, "manage:service:organization");
  const found = await getService(context, session, params.serviceId ?? "");
  if (!found) throw notFound("No service with that id in your organization.");
  const formData = await request.formData();
  if (formData.get("intent") === "overrides") {
    const submission = parseWithZod(formData, { schema: ProviderOverridesSchema });
    if (submission.status !== "success") return data({ result: null, overrides: submission.reply(), saved: false }, { status: 400, headers: NO_STORE });
    const saved = await saveProviderOverrides(context, session, { id: found.service.id, providerIds: found.providerIds }, submission.value);
    if (!saved.ok) return data({ result: null, overrides: submission.reply({ formErrors: [saved.message] }), saved: false }, { status: 400, headers: NO_STORE });
    return data({ result: null, overrides: submission.reply(), saved: true }, { headers: NO_STORE });
  }
  const submission = parseWithZod(formData, { schema: ServiceSchema });
  if (submission.status !== "success") return data({ result: submission.reply(), overrides: null, saved: false }, { status: 400, headers: NO_STORE });
  const saved = await saveService(context, session, found.service.id, submission.value);
  if (!saved.ok) return data({ result: submission.reply({ formErrors: [saved.message] }), overrides: null, saved: false }, { status: 400, headers: NO_STORE });
  return data({ result: submission.reply(), overrides: null, saved: true }, { headers: NO_STORE });
}

export default function ServiceSettings() {
  const { name, providers, defaults, overrides, base } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <>
      <PageHeader title={name} description="Changes apply to new bookings; booked visits keep their time and price." />
      {actionData?.saved ? <div className="mb-4 max-w-3xl"><Notice tone="success">Saved.</Notice></div> : null}
      <Card className="max-w-3xl">
        <ServiceForm id="service" lastResult={actionData?.result} defaultValue={defaults} providers={providers} submitLabel="Save service" />
      </Card>
      {overrides.length ? <ProviderOverridesCard rows={overrides} base={base} lastResult={actionData?.overrides} /> : null}
    </>
  );
}

// Errors render inside the signed-in shell, so navigation stays available.
export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
