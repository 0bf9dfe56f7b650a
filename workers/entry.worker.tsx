import type { AppLoadContext, EntryContext } from "@remix-run/cloudflare";
import { RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToReadableStream } from "react-dom/server";
import { NonceProvider } from "../app/components/nonce";
import { ServerFragmentsProvider } from "../app/components/server-fragment";

// The Worker's document renderer (web streams); swapped in for app/entry.server.tsx by vite.worker.config.ts.
export { handleServerError as handleError } from "../app/lib/handle-error.server";

export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const nonce = loadContext.nonce;
  const body = await renderToReadableStream(
    <NonceProvider value={nonce}>
      <ServerFragmentsProvider value={loadContext.fragments}>
        <RemixServer context={remixContext} url={request.url} nonce={nonce} />
      </ServerFragmentsProvider>
    </NonceProvider>,
    {
      nonce,
      signal: request.signal,
      onError(error: unknown) {
        responseStatusCode = 500;
        console.error(error);
      },
    },
  );
  if (isbot(request.headers.get("user-agent") ?? "")) await body.allReady;
  responseHeaders.set("Content-Type", "text/html; charset=utf-8");
  return new Response(body, { headers: responseHeaders, status: responseStatusCode });
}
