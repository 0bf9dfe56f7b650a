/**
 * A small in-process cache of computed calendar views. An entry is used only while the location's
 * schedule version (bumped by database triggers on any write the view shows) is the one it was
 * built at, so it can never show stale data, on Node or in a Worker isolate. Oldest entries go first.
 */
export class ViewCache<T> {
  private entries = new Map<string, { version: number; value: T }>();
  constructor(private readonly max = 200) {}

  get(key: string, version: number): T | undefined {
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    if (hit.version !== version) {
      this.entries.delete(key);
      return undefined;
    }
    // Refresh its place: the map's order is the eviction order.
    this.entries.delete(key);
    this.entries.set(key, hit);
    return hit.value;
  }

  set(key: string, version: number, value: T) {
    this.entries.delete(key);
    this.entries.set(key, { version, value });
    while (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value as string);
  }
}
