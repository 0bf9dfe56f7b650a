import { isRouteErrorResponse, Link, useRouteError } from "@remix-run/react";

const TITLES: Record<number, string> = {
  400: "That request could not be processed",
  403: "You don't have access to this",
  404: "We couldn't find that",
  413: "That was too large",
  429: "Slow down a moment",
};

/** One error boundary for every route: a clear message, never a stack trace. */
export function GeneralErrorBoundary() {
  const error = useRouteError();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const detail = isRouteErrorResponse(error) && typeof error.data === "string" ? error.data : null;
  return (
    <div role="alert" className="rounded-lg border border-stone-200 bg-white p-6 shadow-sm">
      <p className="text-sm font-semibold text-stone-600">Error {status}</p>
      <h1 className="mt-1 text-xl font-semibold">{TITLES[status] ?? "Something went wrong on our side"}</h1>
      <p className="mt-2 text-stone-700">{detail ?? (status >= 500 ? "The team has been told. Try again in a moment." : "Check the address and try again.")}</p>
      <Link to="/" className="mt-4 inline-block font-medium text-brand-700 underline">
        Go to your home page
      </Link>
    </div>
  );
}

/** Errors on the public pages (booking, gift cards), without the signed-in shell around them. */
export function PublicErrorBoundary() {
  return (
    <main className="mx-auto max-w-xl p-4">
      <GeneralErrorBoundary />
    </main>
  );
}
