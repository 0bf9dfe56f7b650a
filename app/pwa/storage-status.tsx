import { useEffect, useState } from "react";
import { HardDrive } from "lucide-react";

const WORDS = {
  kept: { short: "Offline data kept", detail: "This device keeps Atrium's offline data: charts and changes made without Wi-Fi stay on it until they are sent." },
  "best-effort": { short: "Offline data may be cleared", detail: "The browser may clear Atrium's offline data when the device runs low on space. Install Atrium as an app (Share → Add to Home Screen) so it is kept." },
  unsupported: { short: "No offline data", detail: "This browser can't keep Atrium's data offline. Use Safari or Chrome, installed as an app, on a tablet you chart on." },
} as const;

/**
 * Asks the browser to keep this device's offline data (navigator.storage.persist) and shows the
 * answer as a small status; what it means is a tap away (a disclosure), not a paragraph in front of
 * an injector who has patients to see.
 */
export function StorageStatus() {
  const [state, setState] = useState<"unknown" | keyof typeof WORDS>("unknown");
  useEffect(() => {
    const storage = navigator.storage;
    if (!storage?.persist) return setState("unsupported");
    void (async () => {
      const granted = (await storage.persisted()) || (await storage.persist());
      setState(granted ? "kept" : "best-effort");
    })();
  }, []);
  if (state === "unknown") return null;
  const words = WORDS[state];
  return (
    <details className="mt-2 text-sm" data-storage={state}>
      <summary className={`inline-flex min-h-11 cursor-pointer list-none items-center gap-1.5 rounded-full px-3 font-medium ${state === "kept" ? "bg-emerald-50 text-emerald-900" : "bg-amber-50 text-amber-900"}`}>
        <HardDrive aria-hidden="true" className="h-4 w-4" />
        {words.short}
      </summary>
      <p className="mt-1 max-w-prose text-stone-700">{words.detail}</p>
    </details>
  );
}
