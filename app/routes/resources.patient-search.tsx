import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "~/auth/guards.server";
import { NO_STORE } from "~/lib/forms.server";
import { searchPatients } from "~/patients/patients.server";
import { recentlyViewed } from "~/patients/record.server";

/**
 * Results as you type, for the shell's "Find a patient" box (with JavaScript; without it the box
 * posts to the patients page). A POST, so what was typed never sits in an address or a log.
 * An empty query answers the viewer's recently viewed patients.
 */
/** What the box shows: matches (or recently viewed patients), and whether the search was too short. */
export interface PatientSuggestions {
  q: string;
  rows: { id: string; firstName: string; lastName: string; dateOfBirth: string }[];
  recent: boolean;
  tooShort: boolean;
  total: number;
}

// A plain JSON answer: the box's fetcher reads it, and so can anything else that posts here.
const answer = (body: PatientSuggestions, status = 200) => Response.json(body, { status, headers: NO_STORE });

export async function action({ request, context }: ActionFunctionArgs) {
  const session = await requirePermission(request, context, "read:patient:organization");
  const form = await request.formData();
  const q = String(form.get("q") ?? "").trim();
  if (q.length > 100) return answer({ q, rows: [], recent: false, tooShort: false, total: 0 }, 400);
  if (!q) return answer({ q, rows: await recentlyViewed(context, session), recent: true, tooShort: false, total: 0 });
  const found = await searchPatients(context, session, q, 1);
  return answer({ q, rows: found.rows.slice(0, 8).map(({ id, firstName, lastName, dateOfBirth }) => ({ id, firstName, lastName, dateOfBirth })), recent: false, tooShort: found.tooShort, total: found.total });
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requirePermission(request, context, "read:patient:organization");
  throw new Response("Not found", { status: 404 });
}
