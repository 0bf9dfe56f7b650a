import type { LoaderFunctionArgs } from "@remix-run/node";
import { feedDocument } from "~/scheduling/feeds.server";

/** A private calendar subscription URL (no sign-in: the token is the credential, revocable). */
export async function loader({ params, context }: LoaderFunctionArgs) {
  const body = await feedDocument(context, params.token ?? "");
  if (!body) return new Response("This calendar link was turned off or never existed.", { status: 404, headers: { "cache-control": "no-store" } });
  return new Response(body, { headers: { "content-type": "text/calendar; charset=utf-8", "cache-control": "no-store" } });
}
