import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { homePathFor } from "~/auth/permissions";
import { requireUser } from "~/auth/guards.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await requireUser(request, context);
  throw redirect(homePathFor(session.user.role));
}
