import { useEffect, useState } from "react";

/**
 * Asks the browser to keep this device's offline data (navigator.storage.persist) and says
 * whether it agreed; an installed tablet app is usually granted it.
 */
export function StorageStatus() {
  const [state, setState] = useState<"unknown" | "kept" | "best-effort" | "unsupported">("unknown");
  useEffect(() => {
    const storage = navigator.storage;
    if (!storage?.persist) return setState("unsupported");
    void (async () => {
      const granted = (await storage.persisted()) || (await storage.persist());
      setState(granted ? "kept" : "best-effort");
    })();
  }, []);
  if (state === "unknown") return null;
  const text = { kept: "This device keeps Atrium's offline data.", "best-effort": "The browser may clear Atrium's offline data when space runs low. Install the app to keep it.", unsupported: "This browser can't keep offline data." }[state];
  return <p className="text-sm text-stone-700" data-storage={state}>{text}</p>;
}
