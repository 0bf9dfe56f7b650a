import { describe, expect, it } from "vitest";
import { createGate } from "./admission";

describe("admission gate", () => {
  it("lets `limit` in at once and the rest in arrival order", async () => {
    const gate = createGate(2);
    const order: number[] = [];
    const inside = new Set<number>();
    let most = 0;
    await Promise.all(
      Array.from({ length: 6 }, async (_, i) => {
        await gate.enter();
        inside.add(i);
        most = Math.max(most, inside.size);
        order.push(i);
        await new Promise((r) => setTimeout(r, 5));
        inside.delete(i);
        gate.leave();
      }),
    );
    expect(most).toBe(2);
    expect(order).toEqual([0, 1, 2, 3, 4, 5]);
    expect(gate.waiting).toBe(0);
  });
});
