import type { ReactNode } from "react";
import type { GiftCardDesign } from "../../db/schema";

/** The clinic's public gift card pages: calm and large on a phone, like the booking pages. */
export function PublicShell({ clinic, children }: { clinic: string; children: ReactNode }) {
  return (
    <div className="min-h-full pb-10">
      <header className="bg-brand-700 px-4 py-3 text-white">
        <p className="mx-auto max-w-xl font-semibold">{clinic}</p>
      </header>
      <main id="main" className="mx-auto max-w-xl px-4 py-5">
        {children}
      </main>
    </div>
  );
}

/** The card's face in each design, as the PDF draws it (app/gift-cards/card-pdf.server.ts). */
const FACES: Record<GiftCardDesign, { band: string; text: string; accent: string }> = {
  botanical: { band: "bg-[#26544a]", text: "text-white", accent: "bg-[#d9ebde]" },
  gold: { band: "bg-[#8c6e2e]", text: "text-white", accent: "bg-[#faf0d6]" },
  minimal: { band: "bg-[#edebe6]", text: "text-stone-900", accent: "bg-white" },
};

export function CardFace({ design, clinic, amount, label }: { design: GiftCardDesign; clinic: string; amount?: string; label?: string }) {
  const face = FACES[design];
  return (
    <span aria-hidden="true" className={`block overflow-hidden rounded-lg border border-stone-300 ${face.accent}`}>
      <span className={`flex h-10 items-center justify-between gap-1 px-3 text-xs font-semibold ${face.band} ${face.text}`}>
        <span>{label ?? "Gift card"}</span>
        {amount ? <span className="tabular-nums">{amount}</span> : null}
      </span>
      <span className="block px-3 py-2 text-xs leading-tight text-stone-700">{clinic}</span>
    </span>
  );
}
