import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { accessibleLocations, requireUser } from "~/auth/guards.server";
import { SafeRedirectSchema } from "~/auth/schemas";
import { sessions } from "../../db/schema";

const Schema = z.object({ locationId: z.string().max(64), redirectTo: SafeRedirectSchema });

export async function loader() {
  return redirect("/");
}

/** Switches the location the signed-in staff member is working in (only to one they may use). */
export async function action({ request, context }: ActionFunctionArgs) {
  const session = await requireUser(request, context);
  const parsed = Schema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) throw new Response("Choose a location from the list.", { status: 400 });
  const allowed = await accessibleLocations(context, session);
  if (!allowed.some((l) => l.id === parsed.data.locationId)) throw new Response("You are not assigned to that location.", { status: 403 });
  await context.db.update(sessions).set({ currentLocationId: parsed.data.locationId }).where(eq(sessions.id, session.id));
  return redirect(parsed.data.redirectTo ?? "/");
}
