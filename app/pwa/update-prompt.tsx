import { useEffect, useState } from "react";
import { UPDATE_READY } from "./register.client";

/** "A new version is ready — Reload to update", shown only when one is waiting. */
export function UpdatePrompt() {
  const [apply, setApply] = useState<(() => void) | null>(null);
  useEffect(() => {
    const onReady = (event: Event) => setApply(() => (event as CustomEvent<{ apply: () => void }>).detail.apply);
    window.addEventListener(UPDATE_READY, onReady);
    return () => window.removeEventListener(UPDATE_READY, onReady);
  }, []);
  if (!apply) return null;
  return (
    <div role="status" className="fixed inset-x-0 bottom-4 z-50 mx-auto flex w-fit items-center gap-3 rounded-xl bg-stone-900 px-4 py-3 text-white shadow-lg">
      <span>A new version of Atrium is ready.</span>
      <button type="button" onClick={apply} className="min-h-11 rounded-lg bg-white px-3 font-semibold text-stone-900">
        Reload to update
      </button>
    </div>
  );
}
