import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { Card, Notice, PageHeader } from "~/components/ui";
import { notFound, requirePermission } from "~/auth/guards.server";
import { NO_STORE, parseForm } from "~/lib/forms.server";
import { ServiceSchema } from "~/settings/schemas";
import { ServiceForm } from "~/settings/service-form";
import { getService, organizationProviders, saveService } from "~/settings/services.server";

export const meta: MetaFunction = () => [{ title: "Service · Atrium" }];

const dollars = (cents: number) => (cents / 100).toFixed(2);

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const session = await requirePermission(request, context, "manage:service:organization");
  const found = await getService(context, session, params.serviceId ?? "");
  if (!found) throw notFound("No service with that id in your organization.");
  const { service: s, providerIds } = found;
  const on = (v: boolean) => (v ? "on" : undefined);
  return data(
    {
      name: s.name,
      providers: await organizationProviders(context, session),
      defaults: { name: s.name, category: s.category, description: s.description, durationMinutes: s.durationMinutes, bufferBeforeMinutes: s.bufferBeforeMinutes, bufferAfterMinutes: s.bufferAfterMinutes, price: dollars(s.priceCents), deposit: s.depositCents ? dollars(s.depositCents) : "", roomType: s.roomType ?? "", active: on(s.active), onlineBookable: on(s.onlineBookable), autoConfirm: on(s.autoConfirm), newPatientsAllowed: on(s.newPatientsAllowed), intakeFormRequired: on(s.intakeFormRequired), providerIds },
    },
    { headers: NO_STORE },
  );
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const session = await requirePermission(request, context, "manage:service:organization");
  const found = await getService(context, session, params.serviceId ?? "");
  if (!found) throw notFound("No service with that id in your organization.");
  const submission = await parseForm(request, ServiceSchema);
  if (submission.status !== "success") return data({ result: submission.reply(), saved: false }, { status: 400, headers: NO_STORE });
  const saved = await saveService(context, session, found.service.id, submission.value);
  if (!saved.ok) return data({ result: submission.reply({ formErrors: [saved.message] }), saved: false }, { status: 400, headers: NO_STORE });
  return data({ result: submission.reply(), saved: true }, { headers: NO_STORE });
}

export default function ServiceSettings() {
  const { name, providers, defaults } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <>
      <PageHeader title={name} description="Changes apply to new bookings; booked visits keep their time and price." />
      {actionData?.saved ? <div className="mb-4 max-w-3xl"><Notice tone="success">Saved.</Notice></div> : null}
      <Card className="max-w-3xl">
        <ServiceForm id="service" lastResult={actionData?.result} defaultValue={defaults} providers={providers} submitLabel="Save service" />
      </Card>
    </>
  );
}

// Errors render inside the signed-in shell, so navigation stays available.
export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
