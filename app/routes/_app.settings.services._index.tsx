import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { Card, EmptyState, PageHeader } from "~/components/ui";
import { requirePermission } from "~/auth/guards.server";
import { NO_STORE, parseForm, readIntent } from "~/lib/forms.server";
import { CategoryColorSchema, listCategoryColors, setCategoryColor } from "~/settings/category-colors.server";
import { CategoryColors } from "~/settings/category-colors";
import { formatMoney } from "~/scheduling/format";
import { ServiceSchema } from "~/settings/schemas";
import { ServiceForm } from "~/settings/service-form";
import { listServices, organizationProviders, saveService } from "~/settings/services.server";

export const meta: MetaFunction = () => [{ title: "Services · Atrium" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await requirePermission(request, context, "manage:service:organization");
  const [rows, providers, categories] = await Promise.all([listServices(context, session), organizationProviders(context, session), listCategoryColors(context, session)]);
  return data({ categories, services: rows.map((s) => ({ id: s.id, name: s.name, category: s.category, durationMinutes: s.durationMinutes, price: formatMoney(s.priceCents), active: s.active, onlineBookable: s.onlineBookable, autoConfirm: s.autoConfirm })), providers }, { headers: NO_STORE });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const session = await requirePermission(request, context, "manage:service:organization");
  if ((await readIntent(request)) === "category-color") {
    const parsed = CategoryColorSchema.safeParse(Object.fromEntries(await request.formData()));
    if (!parsed.success) return data({ colorMessage: parsed.error.issues[0].message }, { status: 400, headers: NO_STORE });
    if (!(await setCategoryColor(context, session, parsed.data))) return data({ colorMessage: "No service uses that category." }, { status: 404, headers: NO_STORE });
    return data({ colorMessage: `Saved the colour for ${parsed.data.category}.` }, { headers: NO_STORE });
  }
  const submission = await parseForm(request, ServiceSchema);
  if (submission.status !== "success") return data(submission.reply(), { status: 400, headers: NO_STORE });
  const saved = await saveService(context, session, null, submission.value);
  if (!saved.ok) return data(submission.reply({ formErrors: [saved.message] }), { status: 400, headers: NO_STORE });
  return redirect(`/settings/services/${saved.id}`, { headers: NO_STORE });
}

export default function ServicesSettings() {
  const { services, providers, categories } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const colorMessage = answer && "colorMessage" in answer ? answer.colorMessage : null;
  const lastResult = answer && !("colorMessage" in answer) ? answer : undefined;
  return (
    <>
      <PageHeader title="Services" description="What patients and the front desk can book: duration, buffers, price, room and who performs it." />
      <div className="grid grid-cols-1 gap-6 xl:grid-cols-2">
        <Card title="Your services">
          {services.length === 0 ? (
            <EmptyState title="No services yet">Add your first service; it becomes bookable once a provider performs it.</EmptyState>
          ) : (
            <ul className="divide-y divide-stone-100">
              {services.map((s) => (
                <li key={s.id} className="flex flex-wrap items-center justify-between gap-2 py-3">
                  <Link to={`/settings/services/${s.id}`} className="font-medium text-brand-700 underline">{s.name}</Link>
                  <span className="text-sm text-stone-600">
                    {s.category} · {s.durationMinutes} min · {s.price}
                    {!s.active ? " · not offered" : !s.onlineBookable ? " · desk only" : !s.autoConfirm ? " · request" : ""}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </Card>
        <div className="space-y-2 xl:col-span-2 xl:order-last">
          {colorMessage ? <p role="status" className="text-sm font-medium text-stone-800">{colorMessage}</p> : null}
          <CategoryColors categories={categories} />
        </div>
        <Card title="Add a service">
          <ServiceForm id="new-service" lastResult={lastResult} defaultValue={{ durationMinutes: 30, bufferBeforeMinutes: 0, bufferAfterMinutes: 0, active: "on", onlineBookable: "on", autoConfirm: "on", newPatientsAllowed: "on" }} providers={providers} submitLabel="Add service" />
        </Card>
      </div>
    </>
  );
}

// Errors render inside the signed-in shell, so navigation stays available.
export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
