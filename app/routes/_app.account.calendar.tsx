import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { formatCalendarDate } from "~/scheduling/format";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Card, Notice, PageHeader, buttonClass, dangerButtonClass } from "~/components/ui";
import { requireUser } from "~/auth/guards.server";
import { NO_STORE } from "~/lib/forms.server";
import { activeFeed, replaceFeed } from "~/scheduling/feeds.server";
import { SECRET_ANSWER, secretAnswerHeaders } from "~/lib/submission-replay.server";

export { secretAnswerHeaders as headers };

export const meta: MetaFunction = () => [{ title: "Calendar feed · Atrium" }];

function allowed(role: string) {
  return role === "provider" || role === "patient";
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await requireUser(request, context);
  if (!allowed(session.user.role)) throw new Response("Calendar feeds are for providers and patients.", { status: 403 });
  const feed = await activeFeed(context, session.user);
  return data({ active: Boolean(feed), since: feed ? formatCalendarDate(feed.createdAt.toISOString().slice(0, 10)) : null }, { headers: NO_STORE });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const session = await requireUser(request, context);
  if (!allowed(session.user.role)) throw new Response("Calendar feeds are for providers and patients.", { status: 403 });
  const off = (await request.formData()).get("intent") === "off";
  const token = await replaceFeed(context, session.user, { off });
  const origin = context.origin;
  return data({ url: token ? `${origin}/feeds/${token}/calendar.ics` : null, off }, { headers: { ...NO_STORE, ...SECRET_ANSWER } });
}

export default function CalendarFeedPage() {
  const { active, since } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <PageHeader title="Calendar feed" description="Subscribe to your Atrium appointments in Google Calendar, Outlook or Apple Calendar." />
      <Card className="max-w-2xl">
        {result?.url ? (
          <div className="mb-4 space-y-2">
            <Notice tone="success">Your private link is ready. Copy it now: it is shown only once.</Notice>
            <label htmlFor="feed-url" className="block text-sm font-medium">Private calendar link</label>
            <input id="feed-url" readOnly value={result.url} className="block w-full rounded-lg border border-stone-400 px-3 py-2 font-mono text-sm" />
          </div>
        ) : result?.off ? (
          <div className="mb-4"><Notice>The calendar link is turned off. Calendars subscribed to it stop updating.</Notice></div>
        ) : null}
        <p className="mb-4 text-stone-700">{active || result?.url ? `A private link is active${since ? ` (created ${since})` : ""}. Anyone with it can see your appointment times, so treat it like a password.` : "No calendar link is active."}</p>
        <div className="flex flex-wrap gap-3">
          <Form method="post">
            <input type="hidden" name="intent" value="new" />
            <button type="submit" className={buttonClass}>{active ? "Replace with a new link" : "Create a private link"}</button>
          </Form>
          {active || result?.url ? (
            <Form method="post">
              <input type="hidden" name="intent" value="off" />
              <button type="submit" className={dangerButtonClass}>Turn off</button>
            </Form>
          ) : null}
        </div>
      </Card>
    </>
  );
}

// Errors render inside the signed-in shell, so navigation stays available.
export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
