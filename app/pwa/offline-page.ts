// The offline page's script (bundled to /offline.js and precached): shows the day as last synced
// on this tablet, with how old it is, and the changes waiting to be sent — only to the user it
// belongs to, while the tablet still holds their key (ADR 018). Anyone else sees that it's locked.
import { currentOfflineKey } from "./offline-key";
import { loadDay, pendingChanges } from "./offline-store";

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
}

void show();
