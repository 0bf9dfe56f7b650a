import { RemixBrowser } from "@remix-run/react";
import { startTransition, StrictMode } from "react";
import { hydrateRoot } from "react-dom/client";
import { registerServiceWorker } from "./pwa/register.client";

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
