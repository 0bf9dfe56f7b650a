import { useEffect } from "react";
import { registerServiceWorker } from "./register.client";
import { SPLASH_SCREENS } from "./splash";

/**
 * What makes the staff app installable and able to work offline: the manifest, iPadOS's start-up
 * screens and the service worker. Rendered in the document head on pages signed in as staff only
 * (issue 14): a patient booking on a phone never downloads the staff app's ~80 files.
 */
export function StaffAppInstall() {
  useEffect(() => {
    void registerServiceWorker().catch(() => undefined);
  }, []);
  return (
    <>
      <link rel="manifest" href="/manifest.webmanifest" />
      {/* iPadOS shows these while the installed app starts (it needs one per screen size and orientation). */}
      {SPLASH_SCREENS.map(({ href, media }) => (
        <link key={href} rel="apple-touch-startup-image" href={href} media={media} />
      ))}
      <meta name="atrium-service-worker" content="/sw.js" />
    </>
  );
}
