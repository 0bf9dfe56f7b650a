import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { and, eq } from "drizzle-orm";
import { notFound, requirePermission } from "~/auth/guards.server";
import { can } from "~/auth/permissions";
import { NO_STORE } from "~/lib/forms.server";
import { Card, PageHeader, secondaryButtonClass } from "~/components/ui";
import { giftCardView } from "~/gift-cards/gift-cards.server";
import { giftCards } from "../../db/schema";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.card.label} · Atrium` : "Gift card · Atrium" }];

/** One gift card: balance, state, delivery and every movement of its value. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const session = await requirePermission(request, context, "read:invoice:location");
  const [card] = await context.db.select().from(giftCards).where(and(eq(giftCards.id, (params.giftCardId ?? "").slice(0, 64)), eq(giftCards.organizationId, session.user.organizationId)));
  if (!card) throw notFound("No gift card with that id in your organization.");
  return data({ card: await giftCardView(context, session.user, card), canPrint: card.status === "active" && can(session.user.role, "checkout:invoice:location") }, { headers: NO_STORE });
}

export default function GiftCard() {
  const { card, canPrint } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader
        title={card.label}
        description={[card.status, card.recipient ? `for ${card.recipient}` : null, card.delivery].filter(Boolean).join(" · ")}
        actions={canPrint ? <a href={`/gift-cards/${card.id}/card.pdf`} className={secondaryButtonClass}>Print card</a> : null}
      />
      <div className="grid max-w-5xl gap-6 lg:grid-cols-[16rem_minmax(0,1fr)]">
        <Card title="Balance">
          <p className="text-3xl font-semibold tabular-nums">{card.balance}</p>
          <p className="text-sm text-stone-700">of {card.initial} when bought</p>
          <p className="mt-2 text-sm text-stone-700">{card.expires ? `Good until ${card.expires}` : "Never expires"}</p>
          {card.sale ? <Link to={`/invoices/${card.sale.invoiceId}`} className="mt-3 inline-block text-sm font-medium text-brand-800 underline">Sold on invoice #{card.sale.number}</Link> : null}
        </Card>
        <Card title="History">
          {card.entries.length === 0 ? (
            <p className="text-sm text-stone-700">Nothing yet: the card holds its value once its sale is paid.</p>
          ) : (
            <table className="w-full text-left text-sm">
              <caption className="sr-only">Every movement of the card's value</caption>
              <thead className="border-b border-stone-200 text-stone-600">
                <tr>
                  <th scope="col" className="py-2 font-medium">When</th>
                  <th scope="col" className="py-2 font-medium">What</th>
                  <th scope="col" className="py-2 text-right font-medium">Amount</th>
                  <th scope="col" className="py-2 text-right font-medium">Left</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-stone-100">
                {card.entries.map((e, i) => (
                  <tr key={i}>
                    <td className="py-2">{e.when}</td>
                    <td className="py-2">{e.invoiceId ? <Link to={`/invoices/${e.invoiceId}`} className="text-brand-800 underline-offset-2 hover:underline">{e.what}</Link> : e.what}</td>
                    <td className="py-2 text-right tabular-nums">{e.amount}</td>
                    <td className="py-2 text-right tabular-nums">{e.balance}</td>
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
