import { addDays } from "../scheduling/local-time";

export type ExpiryState = "ok" | "soon" | "expired";

/** How close a lot is to its expiry (YYYY-MM-DD, usable through that day), on the location's `today`. */
export function expiryState(expiresOn: string, today: string, soonDays = 30): ExpiryState {
  if (expiresOn < today) return "expired";
  if (expiresOn <= addDays(today, soonDays)) return "soon";
  return "ok";
}
