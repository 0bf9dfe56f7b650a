import { RemixBrowser } from "@remix-run/react";
import { startTransition, StrictMode } from "react";
import { hydrateRoot } from "react-dom/client";
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

// The service worker is the staff app's: pages signed in as staff register it (root.tsx,
// StaffAppInstall); the public booking pages and the patient portal never download it.
