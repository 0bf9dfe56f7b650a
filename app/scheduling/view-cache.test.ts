import { describe, expect, it } from "vitest";
import { ViewCache } from "./view-cache";

describe("calendar view cache", () => {
  it("serves an entry only at the version it was built at, and evicts the least recently used", () => {
    const cache = new ViewCache<string>(2);
    cache.set("a", 1, "A1");
    expect(cache.get("a", 1)).toBe("A1");
    expect(cache.get("a", 2)).toBeUndefined();
    expect(cache.get("a", 1)).toBeUndefined();
    cache.set("a", 2, "A2");
    cache.set("b", 1, "B1");
    cache.get("a", 2);
    cache.set("c", 1, "C1");
    expect(cache.get("b", 1)).toBeUndefined();
    expect(cache.get("a", 2)).toBe("A2");
    expect(cache.get("c", 1)).toBe("C1");
  });
});
