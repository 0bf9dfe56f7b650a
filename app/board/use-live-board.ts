import { useEffect, useRef, useState } from "react";
import { applyPatch, type BoardSnapshot } from "./snapshot";

export type LiveStatus = "static" | "connecting" | "live" | "reconnecting" | "ended";

/** The room's close codes (party/location-room.ts): the token ran out, or the session ended. */
const CLOSE_REVOKED = 4003;

type ServerMessage = { type: "snapshot"; version: number; snapshot: BoardSnapshot } | { type: "patch"; version: number; base: number; patch: Parameters<typeof applyPatch>[1] };

/**
 * The board as the server rendered it, kept live over the location's PartyKit room when
 * JavaScript runs. A patch that doesn't follow the version we have means we missed one: ask for
 * the whole snapshot rather than show something stale. While the socket is down, say so.
 */
export function useLiveBoard(initial: BoardSnapshot, live: { url: string; token: string; locationId: string; privacy: boolean } | null) {
  const [snapshot, setSnapshot] = useState(initial);
  const [status, setStatus] = useState<LiveStatus>(live ? "connecting" : "static");
  const version = useRef<number | null>(null);

  // A new server render (navigation, revalidation) is newer than anything we hold.
  useEffect(() => setSnapshot(initial), [initial]);

  const url = live?.url;
  const token = live?.token;
  const locationId = live?.locationId;
  const privacy = live?.privacy ?? false;
  useEffect(() => {
    if (!url || !token || !locationId) return;
    let socket: { close(): void; reconnect(): void; send(data: string): void } | null = null;
    let cancelled = false;
    let ended = false;
    void import("partysocket").then(({ default: PartySocket }) => {
      if (cancelled) return;
      const host = new URL(url);
      // Tokens live for minutes and the room closes the socket when one runs out: the first
      // connection uses the page's, each reconnect asks for a fresh one. A session that has ended
      // gets none (401), and the board stops, saying so.
      let first = true;
      const end = () => {
        ended = true;
        setStatus("ended");
        queueMicrotask(() => ws.close());
      };
      const query = async () => {
        if (first) {
          first = false;
          return { token };
        }
        const res = await fetch(`/board/token?location=${encodeURIComponent(locationId)}${privacy ? "&privacy=1" : ""}`, { headers: { accept: "application/json" } });
        if (res.status === 401) end();
        return { token: res.ok ? ((await res.json()) as { token: string }).token : "" };
      };
      const ws = new PartySocket({ host: host.host, protocol: host.protocol === "https:" ? "wss" : "ws", room: locationId, query });
      socket = ws;
      ws.addEventListener("open", () => setStatus("live"));
      ws.addEventListener("close", (event: CloseEvent) => {
        if (event.code === CLOSE_REVOKED) end();
        if (!ended) setStatus("reconnecting");
      });
      ws.addEventListener("error", () => !ended && setStatus("reconnecting"));
      ws.addEventListener("message", (event: MessageEvent<string>) => {
        const message = JSON.parse(event.data) as ServerMessage;
        if (message.type === "snapshot") {
          version.current = message.version;
          setSnapshot(message.snapshot);
        } else if (version.current === message.base) {
          version.current = message.version;
          setSnapshot((current) => applyPatch(current, message.patch));
        } else {
          ws.send("sync");
        }
      });
    });
    // The browser knows before the socket does: say so at once, and reconnect as soon as it's back.
    const offline = () => {
      if (ended) return;
      setStatus("reconnecting");
      socket?.reconnect();
    };
    const online = () => !ended && socket?.reconnect();
    window.addEventListener("offline", offline);
    window.addEventListener("online", online);
    return () => {
      cancelled = true;
      window.removeEventListener("offline", offline);
      window.removeEventListener("online", online);
      socket?.close();
    };
  }, [url, token, locationId, privacy]);

  return { snapshot, status };
}

/** "Now" for minutes-in-state: the snapshot's own time on the first render (so it matches the server's), then ticking. */
export function useBoardClock(snapshot: BoardSnapshot) {
  const [now, setNow] = useState(snapshot.generatedAt);
  useEffect(() => {
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, [snapshot]);
  return now;
}
