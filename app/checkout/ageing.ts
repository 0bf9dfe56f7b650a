/**
 * What a patient owes, aged (issue 12): each open invoice's balance in the bucket of its age —
 * current (under 30 days), 30, 60 and 90+ days — counted from the day it was issued (or opened,
 * when it was never issued). Void and settled invoices owe nothing.
 */
export const AGE_BUCKETS = ["current", "30", "60", "90+"] as const;
export type AgeBucket = (typeof AGE_BUCKETS)[number];
export const BUCKET_LABELS: Record<AgeBucket, string> = { current: "Current", "30": "30–59 days", "60": "60–89 days", "90+": "90 days and over" };

const DAY_MS = 86_400_000;

export function ageBucket(since: Date, now: Date): AgeBucket {
  const days = Math.floor((now.getTime() - since.getTime()) / DAY_MS);
  return days >= 90 ? "90+" : days >= 60 ? "60" : days >= 30 ? "30" : "current";
}

export function ageing(invoices: { owedCents: number; since: Date }[], now: Date) {
  const buckets: Record<AgeBucket, number> = { current: 0, "30": 0, "60": 0, "90+": 0 };
  for (const i of invoices) if (i.owedCents > 0) buckets[ageBucket(i.since, now)] += i.owedCents;
  return { buckets, totalCents: AGE_BUCKETS.reduce((a, b) => a + buckets[b], 0) };
}
