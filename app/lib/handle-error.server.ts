import { isRouteErrorResponse } from "@remix-run/react";
import type { AppContext } from "./context.server";

/**
 * Remix's `handleError` for both runtimes' entries. Replaces Remix's default, which prints the
 * whole error with console.error: a failed query's message carries its bound values (patient data),
 * and every POST to a route without an action printed a stack. Refusals (4xx) and requests the
 * browser abandoned are not errors; the rest become one structured, scrubbed log line.
 */
export function handleServerError(error: unknown, { request, context }: { request: Request; context: unknown }) {
  if (request.signal.aborted) return;
  if (isRouteErrorResponse(error) && error.status < 500) return;
  (context as Pick<AppContext, "logger">).logger.error("unhandled_error", { method: request.method, path: new URL(request.url).pathname, error: error instanceof Error ? error : String(error) });
}
