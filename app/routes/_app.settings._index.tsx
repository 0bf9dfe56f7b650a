import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "~/auth/guards.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requirePermission(request, context, "read:organization:organization");
  throw redirect("/settings/organization");
}

// Errors render inside the signed-in shell, so navigation stays available.
export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
