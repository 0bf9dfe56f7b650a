import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requirePermission } from "~/auth/guards.server";
import { NO_STORE } from "~/lib/forms.server";
import { Card, EmptyState, PageHeader, buttonClass, secondaryButtonClass } from "~/components/ui";
import { Field } from "~/components/field";
import { findGiftCard, recentGiftCards } from "~/gift-cards/gift-cards.server";

export const meta: MetaFunction = () => [{ title: "Gift cards · Atrium" }];

/** Gift cards: look one up by its code (throttled), and the newest sold (by last 4 only). */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await requirePermission(request, context, "read:invoice:location");
  return data({ recent: await recentGiftCards(context, session.user) }, { headers: NO_STORE });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const session = await requirePermission(request, context, "checkout:invoice:location");
  const form = await request.formData();
  const found = await findGiftCard(context, session.user, String(form.get("code") ?? "").slice(0, 40));
  if (!found.ok) return data({ message: found.message }, { status: found.status, headers: NO_STORE });
  // The code stays out of the URL: the card's page is by its id.
  return redirect(`/gift-cards/${found.card.id}`, { headers: NO_STORE });
}

export default function GiftCards() {
  const { recent } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <>
      <PageHeader title="Gift cards" description="Check a card's balance and history. Sell one from a patient's record (New sale) or on any invoice." actions={<Link to="/gift-cards/bulk" className={secondaryButtonClass}>Bulk order</Link>} />
      <div className="grid max-w-5xl gap-6 lg:grid-cols-[20rem_minmax(0,1fr)]">
        <Card title="Look up a card">
          <Form method="post" className="space-y-3">
            <Field label="Code" hint="16 characters, as on the card or its email." errors={reply ? [reply.message] : undefined} inputProps={{ id: "lookup-code", name: "code", autoComplete: "off", autoCapitalize: "characters", spellCheck: false, placeholder: "XXXX-XXXX-XXXX-XXXX" }} />
            <button type="submit" className={buttonClass} disabled={busy}>Look up</button>
          </Form>
        </Card>
        <Card title="Sold lately">
          {recent.length === 0 ? (
            <EmptyState title="No gift cards yet">Cards sold at the desk show here once they're on an invoice.</EmptyState>
          ) : (
            <table className="w-full text-left text-sm">
              <caption className="sr-only">Gift cards sold lately</caption>
              <thead className="border-b border-stone-200 text-stone-600">
                <tr>
                  <th scope="col" className="py-2 font-medium">Card</th>
                  <th scope="col" className="py-2 font-medium">For</th>
                  <th scope="col" className="py-2 text-right font-medium">Value</th>
                  <th scope="col" className="py-2 text-right font-medium">Left</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-stone-100">
                {recent.map((c) => (
                  <tr key={c.id}>
                    <td className="py-2">
                      <Link to={`/gift-cards/${c.id}`} className="font-semibold text-brand-800 underline-offset-2 hover:underline">{c.label}</Link>
                      <span className="block text-xs text-stone-600">{c.status} · {c.when}</span>
                    </td>
                    <td className="py-2">{c.recipient ?? "—"}</td>
                    <td className="py-2 text-right tabular-nums">{c.initial}</td>
                    <td className="py-2 text-right tabular-nums">{c.balance}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Card>
      </div>
    </>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
