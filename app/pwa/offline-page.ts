// The offline page's script (bundled to /offline.js and precached): shows the provider's day as
// last synced on this tablet, with how old it is, and any changes waiting to be sent.
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
  const [day, pending] = await Promise.all([loadDay(), pendingChanges()]);
  if (!day) {
    target.appendChild(text("p", "No day has been saved on this tablet yet. Open My day once while online."));
    return;
  }
  target.appendChild(text("h2", `${day.providerName} · ${day.locationName}`));
  target.appendChild(text("p", `As last synced ${age(day.savedAt)}.`, "age"));
  const list = document.createElement("ul");
  for (const item of day.items) list.appendChild(text("li", `${item.time} · ${item.patient} · ${item.serviceName} · ${item.status.replace("_", " ")}`));
  target.appendChild(day.items.length ? list : text("p", "No patients that day."));
  if (pending.length) target.appendChild(text("p", `${pending.length} change${pending.length === 1 ? "" : "s"} will be sent when the connection is back: ${pending.map((p) => p.label).join("; ")}.`, "pending"));
}

void show();
