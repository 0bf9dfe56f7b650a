/**
 * A first-come, first-served gate for page requests. With the embedded libSQL file the driver is
 * synchronous, so a page render is pure CPU on the one event loop: letting twenty renders
 * interleave only makes each of them twenty times slower, while letting them through one at a
 * time gives the same throughput and each finishes as soon as possible (FIFO beats processor
 * sharing for jobs of similar size). Remote databases wait on the network, so they get a wider gate.
 */
export interface Gate {
  enter(): Promise<void>;
  leave(): void;
  readonly waiting: number;
}

export function createGate(limit: number): Gate {
  let active = 0;
  const queue: (() => void)[] = [];
  return {
    async enter() {
      if (active < limit) {
        active++;
        return;
      }
      // The slot is handed over directly by leave(), so `active` stays the same.
      await new Promise<void>((resolve) => queue.push(resolve));
    },
    leave() {
      const next = queue.shift();
      if (next) next();
      else active--;
    },
    get waiting() {
      return queue.length;
    },
  };
}
