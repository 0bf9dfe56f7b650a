import { RemixBrowser } from "@remix-run/react";
import { startTransition, StrictMode } from "react";
import { hydrateRoot } from "react-dom/client";
import { registerServiceWorker } from "./pwa/register.client";
import { installSubmissionRetry } from "./pwa/submission-retry.client";

// Before Remix's first submission: a submission that can't get through is held and sent again.
installSubmissionRetry();

startTransition(() => {
  hydrateRoot(
    document,
    <StrictMode>
      <RemixBrowser />
    </StrictMode>,
  );
});

// After the page has loaded, so the service worker never competes with the first render. (This
// module is imported dynamically, so "load" may already have fired.)
const register = () => void registerServiceWorker().catch(() => undefined);
if (document.readyState === "complete") register();
else window.addEventListener("load", register, { once: true });
