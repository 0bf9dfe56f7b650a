/**
 * Which signed charts the medical director co-signs (issue 11): every chart of a service set to
 * "always review", plus a share of each provider's other charts. The sample is drawn from the
 * encounter's id (uniformly spread, fixed once drawn): the same chart always gets the same answer,
 * a replayed signature can't re-roll it, and over many charts the share comes out at `percent`.
 */
export function reviewReason(encounterId: string, { alwaysReview, percent }: { alwaysReview: boolean; percent: number }): "always" | "sampled" | null {
  if (alwaysReview) return "always";
  if (percent <= 0) return null;
  if (percent >= 100) return "sampled";
  return sampleBucket(encounterId) < percent * 100 ? "sampled" : null;
}

/** 0–9999 from an id: FNV-1a over its characters. */
export function sampleBucket(id: string) {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    hash ^= id.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % 10_000;
}
