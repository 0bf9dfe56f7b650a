import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { EmptyState, PageHeader, secondaryButtonClass } from "~/components/ui";
import { accessibleLocations, currentLocation, requirePermission } from "~/auth/guards.server";
import { audit } from "~/audit/audit.server";
import { boardToken, loadBoardSnapshot, lockPrivacyScreen, publishBoard, setProviderState, setRoomState } from "~/board/board.server";
import { BoardView, LiveIndicator } from "~/board/board-view";
import { redact } from "~/board/snapshot";
import { useBoardClock, useLiveBoard } from "~/board/use-live-board";
import { NO_STORE } from "~/lib/forms.server";
import { offlineOwnerHeaders, refuseOtherUsersChange } from "~/pwa/offline-owner.server";
import { formatTime } from "~/scheduling/format";

export { offlineOwnerHeaders as headers };

export const meta: MetaFunction = () => [{ title: "Treatment floor · Atrium" }];

async function setup(request: Request, context: LoaderFunctionArgs["context"], permission: "read:schedule:location" | "update:floor:location" = "read:schedule:location") {
  const session = await requirePermission(request, context, permission, { allowPrivacyScreen: true });
  const location = currentLocation(session, await accessibleLocations(context, session));
  return { session, location };
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { session, location } = await setup(request, context);
  if (!location) return data({ location: null }, { headers: NO_STORE });
  // Decided here, never by the screen: a privacy screen gets initials whatever it asks for.
  const privacy = session.privacyScreen || new URL(request.url).searchParams.get("privacy") === "1";
  const [snapshot, live] = await Promise.all([loadBoardSnapshot(context, session.user, location), boardToken(context, session, location.id, privacy)]);
  if (live) await publishBoard(context, session.user, location, snapshot);
  await audit(context, { actor: session.user, action: "board.read", entityType: "location", entityId: location.id, outcome: "allowed", reason: privacy ? "privacy" : undefined });
  const desk = ["owner", "manager", "front_desk"].includes(session.user.role);
  return data(
    {
      location: { id: location.id, name: location.name, timeZone: location.timeZone },
      // A privacy screen never receives full names, not even in the page's data.
      snapshot: privacy ? redact(snapshot) : snapshot,
      privacy,
      locked: session.privacyScreen,
      live: live && { url: live.url, token: live.token, locationId: location.id, privacy },
      canTurnOver: desk || session.user.role === "provider",
      rooming: desk ? ({ all: true } as const) : session.user.role === "provider" ? { providerId: session.user.id } : null,
    },
    { headers: NO_STORE },
  );
}

/** Set by a tablet replaying changes made offline: applied exactly once. */
const IdempotencyKey = z.string().regex(/^[A-Za-z0-9-]{16,64}$/).optional();
const ActionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("room-free"), roomId: z.string().max(64), idempotencyKey: IdempotencyKey }),
  z.object({ intent: z.literal("room-turnover"), roomId: z.string().max(64), idempotencyKey: IdempotencyKey }),
  z.object({ intent: z.literal("my-status"), state: z.enum(["available", "documenting", "on_break"]), idempotencyKey: IdempotencyKey }),
]);

/**
 * Room turned over (desk or provider); a provider's own status. The board updates live for
 * everyone. Or: this screen becomes a privacy screen until someone signs in on it again.
 */
export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await request.formData();
  if (formData.get("intent") === "privacy-screen") {
    const session = await requirePermission(request, context, "read:schedule:location", { allowPrivacyScreen: true });
    await lockPrivacyScreen(context, session);
    return redirect("/board", { headers: NO_STORE });
  }
  const { session, location } = await setup(request, context, "update:floor:location");
  if (!location) return data({ message: "You're not assigned to a location yet." }, { status: 403, headers: NO_STORE });
  if (session.privacyScreen) return data({ message: "This is a privacy screen: it shows the floor and changes nothing." }, { status: 403, headers: NO_STORE });
  const notMine = refuseOtherUsersChange(formData, session.user.id);
  if (notMine) return notMine;
  const parsed = ActionSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success) return data({ message: "That change could not be read." }, { status: 400, headers: NO_STORE });
  const input = parsed.data;
  if (input.intent === "my-status") {
    if (session.user.role !== "provider") return data({ message: "Only providers set their own status." }, { status: 403, headers: NO_STORE });
    await setProviderState(context, session.user, location, session.user.id, input.state, input.idempotencyKey);
  } else {
    const ok = await setRoomState(context, session.user, location, input.roomId, input.intent === "room-free" ? "free" : "turnover", input.idempotencyKey);
    if (!ok) return data({ message: "That room is not at this location." }, { status: 404, headers: NO_STORE });
  }
  const back = new URL(request.headers.get("referer") ?? "/board", request.url);
  return redirect(back.origin === new URL(request.url).origin && ["/board", "/provider"].includes(back.pathname) ? back.pathname + back.search : "/board", { headers: NO_STORE });
}

export default function BoardPage() {
  const d = useLoaderData<typeof loader>();
  if (!d.location) return <EmptyState title="You're not assigned to a location yet">Ask a manager to add you to a location in Settings → Staff.</EmptyState>;
  return <LiveBoard {...(d as Extract<typeof d, { snapshot: unknown }>)} />;
}

function LiveBoard({ location, snapshot: initial, privacy, locked, live, canTurnOver, rooming }: Extract<ReturnType<typeof useLoaderData<typeof loader>>, { snapshot: unknown }>) {
  const { snapshot, status } = useLiveBoard(initial, live);
  const now = useBoardClock(snapshot);
  return (
    <>
      <PageHeader
        title={privacy ? location.name : "Treatment floor"}
        description={locked ? "Initials only · a privacy screen until someone signs in on it again" : privacy ? "Initials only" : `${location.name} · times in ${location.timeZone.replace("_", " ")}`}
        actions={
          <div className="flex flex-wrap items-center gap-2">
            <LiveIndicator status={status} />
            {locked ? (
              // Full screen, without the staff navigation: signing in again is the way back.
              <Form method="post" action="/logout">
                <button type="submit" className={secondaryButtonClass}>Sign in as staff</button>
              </Form>
            ) : privacy ? (
              <>
                <Form method="post">
                  <input type="hidden" name="intent" value="privacy-screen" />
                  <button type="submit" className={secondaryButtonClass} title="Names stay hidden on this screen until someone signs in on it again">
                    Keep this screen private
                  </button>
                </Form>
                <Link to="/board" className={secondaryButtonClass}>Leave privacy mode</Link>
              </>
            ) : (
              <Link to="/board?privacy=1" className={secondaryButtonClass}>Privacy mode</Link>
            )}
          </div>
        }
      />
      {/* Where the live connection goes (the browser also learns it from the CSP's connect-src). */}
      <div hidden data-party-url={live?.url ?? ""} />
      <BoardView snapshot={snapshot} now={now} privacy={privacy} canTurnOver={canTurnOver && !privacy} rooming={privacy ? null : rooming} time={(t) => formatTime(t, location.timeZone)} />
    </>
  );
}

// Errors render inside the signed-in shell, so navigation stays available.
export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
