// The offline page's script (bundled to /offline.js and precached): shows the day as last synced
// on this tablet, with how old it is, and the changes waiting to be sent — only to the user it
// belongs to, while the tablet still holds their key (ADR 018). Anyone else sees that it's locked.
import { currentOfflineKey } from "./offline-key";
import { loadDay, pendingChanges } from "./offline-store";
import { drainOutbox, keptCharts } from "./chart-outbox";

function age(savedAt: number) {
  const minutes = Math.round((Date.now() - savedAt) / 60_000);
  if (minutes < 1) return "just now";
  if (minutes < 60) return `${minutes} min ago`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min ago`;
}

function text(tag: string, content: string, className = "") {
  const el = document.createElement(tag);
  el.textContent = content;
  if (className) el.className = className;
  return el;
}

async function show() {
  const target = document.getElementById("day");
  if (!target) return;
  const opened = await currentOfflineKey();
  if (!opened) {
    target.appendChild(text("p", "The day kept on this tablet is locked. It opens for the provider it belongs to once they sign in again with a connection.", "locked"));
    return;
  }
  const [day, pending] = await Promise.all([loadDay(opened.key, opened.userId).catch(() => null), pendingChanges(opened.key, opened.userId).catch(() => ({ mine: [], others: 0 }))]);
  if (!day) {
    target.appendChild(text("p", "No day has been saved on this tablet yet. Open My day once while online."));
  } else {
    target.appendChild(text("h2", `${day.providerName} · ${day.locationName}`));
    target.appendChild(text("p", `As last synced ${age(day.savedAt)}.`, "age"));
    const list = document.createElement("ul");
    for (const item of day.items) list.appendChild(text("li", `${item.time} · ${item.patient} · ${item.serviceName} · ${item.status.replace("_", " ")}`));
    target.appendChild(day.items.length ? list : text("p", "No patients that day."));
  }
  const mine = pending.mine;
  if (mine.length) target.appendChild(text("p", `${mine.length} change${mine.length === 1 ? "" : "s"} will be sent when the connection is back: ${mine.map((p) => p.label).join("; ")}.`, "pending"));
  // Charts kept on this tablet (sealed, ADR 029): nothing typed is lost; they open again in Atrium.
  const charts = await keptCharts<{ patient?: { name?: string }; visit?: { serviceName?: string } }>(opened.key, opened.userId).catch(() => []);
  if (charts.length) {
    target.appendChild(text("h2", "Charts on this tablet"));
    target.appendChild(text("p", "Open one to go on charting; it is sent when the connection is back."));
    const list = document.createElement("ul");
    // Each opens in the chart editor with no network: the service worker answers with the chart shell (ADR 030).
    for (const c of charts) {
      const item = document.createElement("li");
      const link = text("a", `${c.page.patient?.name ?? "Patient"} · ${c.page.visit?.serviceName ?? ""}${c.draft ? " · draft saved on this tablet" : ""}`, "chart") as HTMLAnchorElement;
      link.href = `/charts/${encodeURIComponent(c.encounterId)}`;
      item.appendChild(link);
      list.appendChild(item);
    }
    target.appendChild(list);
  }
  // The connection is back: what waits is sent from here, before anyone opens Atrium again.
  const resume = async () => {
    const { applied } = await drainOutbox(opened.key, opened.userId).catch(() => ({ applied: 0 }));
    if (applied) target.appendChild(text("p", `Back online: ${applied} change${applied === 1 ? "" : "s"} made offline ${applied === 1 ? "was" : "were"} sent.`, "pending"));
  };
  window.addEventListener("online", () => void resume());
  document.addEventListener("visibilitychange", () => document.visibilityState === "visible" && navigator.onLine && void resume());
}

void show();
