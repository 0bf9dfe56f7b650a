import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { AuthCard } from "~/components/set-password-form";
import { Notice, buttonClass, secondaryButtonClass } from "~/components/ui";
import { NO_STORE } from "~/lib/forms.server";
import { acceptOffer, declineOffer, viewOffer } from "~/waitlist/offers.server";

export const meta: MetaFunction = () => [{ title: "A time opened up · Atrium" }];

/** The private link in a waitlist message: anyone holding it may accept or pass, nothing more. */
export async function loader({ context, params }: LoaderFunctionArgs) {
  const offer = await viewOffer(context, params.token ?? "");
  if (!offer) throw new Response("This offer link is not valid.", { status: 404, headers: NO_STORE });
  return data({ offer: { status: offer.status, firstName: offer.firstName, serviceName: offer.serviceName, providerName: offer.providerName, locationName: offer.locationName, phone: offer.phone, when: offer.when, until: offer.until } }, { headers: NO_STORE });
}

const AnswerSchema = z.object({ answer: z.enum(["accept", "decline"]) });

export async function action({ request, context, params }: ActionFunctionArgs) {
  const parsed = AnswerSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return data({ ok: false, message: "Choose accept or no thanks." }, { status: 400, headers: NO_STORE });
  const token = params.token ?? "";
  const result = parsed.data.answer === "accept" ? await acceptOffer(context, token) : await declineOffer(context, token);
  if (!result.ok) return data({ ok: false, message: result.message }, { status: result.status, headers: NO_STORE });
  return data({ ok: true, message: parsed.data.answer === "accept" ? "It's yours. You're booked, and a confirmation is on its way." : "No problem. We've offered the time to the next person, and you stay on the waitlist." }, { headers: NO_STORE });
}

export default function WaitlistOffer() {
  const { offer } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const open = offer.status === "open" && !result?.ok;
  return (
    <AuthCard title="A time opened up">
      {result ? <div className="mb-4"><Notice tone={result.ok ? "success" : "error"}>{result.message}</Notice></div> : null}
      <p>Hello {offer.firstName},</p>
      <div className="my-4 rounded-xl border border-brand-100 bg-brand-50 p-4">
        <p className="font-semibold">{offer.serviceName}</p>
        <p>{offer.when}</p>
        <p className="text-sm text-stone-700">with {offer.providerName} · {offer.locationName}</p>
      </div>
      {open ? (
        <>
          <p className="mb-4 text-sm text-stone-700">The first person to accept gets this time. This offer is open until {offer.until}.</p>
          <div className="flex flex-wrap gap-2">
            <Form method="post">
              <input type="hidden" name="answer" value="accept" />
              <button type="submit" className={buttonClass}>Accept this time</button>
            </Form>
            <Form method="post">
              <input type="hidden" name="answer" value="decline" />
              <button type="submit" className={secondaryButtonClass}>No thanks</button>
            </Form>
          </div>
        </>
      ) : !result ? (
        <Notice tone="info">{offer.status === "accepted" ? "You accepted this time. See you then." : `This offer has ended. Questions? Call ${offer.phone}.`}</Notice>
      ) : null}
    </AuthCard>
  );
}
