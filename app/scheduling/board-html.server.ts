import type { AppointmentStatus } from "../../db/schema/scheduling";
import { ACTION_LABELS, STATUS_LABELS, STATUS_STYLES } from "./status";

/**
 * The day view's columns as an HTML string. A busy day is 200 cards; rendering them as React
 * elements (and serializing them again for hydration) was most of the page's server time, so
 * the board is plain server-built markup that React places once. Every interpolated value goes
 * through `escapeHtml`; the links and forms are ordinary, and the page's delegated handlers
 * enhance them when JavaScript runs.
 */
const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
export function escapeHtml(value: string | number) {
  return String(value).replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

export interface BoardCard {
  id: string;
  status: AppointmentStatus;
  patient: string;
  time: string;
  serviceName: string;
  flags: string;
  next: AppointmentStatus | null;
}

export interface BoardColumn {
  id: string;
  title: string;
  cards: BoardCard[];
  /** Free time with booking links (provider view, for people who can book). */
  free: { label: string; href: string }[] | null;
}

/** One appointment's card; after a status change with JavaScript, only this is sent again (issue 14). */
export function cardHtml(a: BoardCard) {
  const e = escapeHtml;
  const flags = a.flags ? `<p class="text-sm font-medium text-red-800">${e(a.flags)}</p>` : "";
  const next = a.next
    ? `<form method="post"><input type="hidden" name="appointmentId" value="${e(a.id)}"/><button name="to" value="${e(a.next)}" class="board-next">${e(ACTION_LABELS[a.next] ?? a.next)}</button></form>`
    : "";
  return `<li class="board-card" data-appointment="${e(a.id)}"><a href="/appointments/${e(a.id)}" class="board-patient">${e(a.patient)}</a> <span class="board-badge ${STATUS_STYLES[a.status]}">${e(STATUS_LABELS[a.status])}</span><p class="text-sm">${e(a.time)} · ${e(a.serviceName)}</p>${flags}${next}</li>`;
}

export function boardHtml(columns: BoardColumn[]) {
  const e = escapeHtml;
  return columns
    .map((c) => {
      const free = c.free?.length
        ? `<ul class="mt-2 space-y-1" aria-label="Free time for ${e(c.title)}">${c.free.map((f) => `<li><a href="${e(f.href)}" class="board-free">Free ${e(f.label)} — book</a></li>`).join("")}</ul>`
        : "";
      const empty = c.cards.length === 0 && !c.free?.length ? `<p class="text-sm text-stone-600">Nothing scheduled.</p>` : "";
      return `<section aria-label="${e(c.title)}" class="board-column"><h2 class="mb-2 font-semibold">${e(c.title)}</h2><ul class="space-y-2">${c.cards.map(cardHtml).join("")}</ul>${free}${empty}</section>`;
    })
    .join("");
}
