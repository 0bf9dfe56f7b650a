import type * as Party from "partykit/server";
import { diffSnapshots, isStaleSnapshot, redact, type BoardPatch, type BoardSnapshot } from "../app/board/snapshot";
import { verifyRoomToken } from "./room-token";

/** What the room keeps between wake-ups: the last snapshot the app sent, and its version. */
interface Stored {
  version: number;
  snapshot: BoardSnapshot;
}

export type ServerMessage = { type: "snapshot"; version: number; snapshot: BoardSnapshot } | { type: "patch"; version: number; base: number; patch: BoardPatch };

interface ConnectionState {
  privacy: boolean;
}

/**
 * One room per clinic location: the live treatment board. The database stays the truth: after a
 * commit the app POSTs the location's new snapshot (shared secret); the room diffs it against the
 * last one and broadcasts a small, versioned patch. A client that connects gets the whole snapshot;
 * one that sees a gap in versions asks to "sync" and gets it again. Privacy screens get initials
 * only. Hibernation keeps idle locations free: state lives in room storage, not memory.
 */
export default class LocationRoom implements Party.Server {
  readonly options = { hibernate: true };
  constructor(readonly room: Party.Room) {}

  static async onBeforeConnect(request: Party.Request, lobby: Party.Lobby) {
    const token = new URL(request.url).searchParams.get("token") ?? "";
    const secret = (lobby.env.PARTY_SECRET as string | undefined) ?? "";
    const claims = secret ? await verifyRoomToken(token, secret, Date.now()) : null;
    if (!claims || claims.locationId !== lobby.id || claims.role === "patient") return new Response("Unauthorized", { status: 401 });
    request.headers.set("x-board-privacy", claims.privacy ? "1" : "0");
    return request;
  }

  async onConnect(connection: Party.Connection<ConnectionState>, ctx: Party.ConnectionContext) {
    connection.setState({ privacy: ctx.request.headers.get("x-board-privacy") === "1" });
    await this.sendSnapshot(connection);
  }

  async onMessage(message: string | ArrayBuffer | ArrayBufferView, sender: Party.Connection<ConnectionState>) {
    if (message === "sync") await this.sendSnapshot(sender);
  }

  async onRequest(request: Party.Request) {
    const secret = (this.room.env.PARTY_SECRET as string | undefined) ?? "";
    if (request.method !== "POST" || !secret || request.headers.get("authorization") !== `Bearer ${secret}`) {
      return new Response("Unauthorized", { status: 401 });
    }
    const body = await request.text();
    if (body.length > 512 * 1024) return new Response("Too large", { status: 413 });
    let message: { type?: string; snapshot?: BoardSnapshot };
    try {
      message = JSON.parse(body);
    } catch {
      return new Response("Not JSON", { status: 400 });
    }
    if (message.type !== "snapshot" || !message.snapshot || message.snapshot.locationId !== this.room.id) return new Response("Expected this location's snapshot", { status: 400 });
    await this.publish(message.snapshot);
    return new Response(null, { status: 204 });
  }

  /** The last snapshot: kept in memory while awake, in room storage across hibernation. */
  private stored: Stored | null | undefined;
  private async current() {
    if (this.stored === undefined) this.stored = (await this.room.storage.get<Stored>("board")) ?? null;
    return this.stored;
  }

  /** Broadcasts what changed (nothing, when nothing a viewer sees did, or when it is older than what we hold), then stores it. */
  async publish(snapshot: BoardSnapshot) {
    const stored = await this.current();
    // Publishes can arrive out of order; an older floor must never replace a newer one.
    if (stored && isStaleSnapshot(stored.snapshot, snapshot)) return;
    const patch = stored ? diffSnapshots(stored.snapshot, snapshot) : null;
    if (stored && !patch) return;
    const version = (stored?.version ?? 0) + 1;
    this.stored = { version, snapshot };
    // Serialized once per audience, not once per connection.
    const messages = new Map<boolean, string>();
    const messageFor = (privacy: boolean) => {
      let text = messages.get(privacy);
      if (!text) {
        const message: ServerMessage = stored && patch ? { type: "patch", version, base: stored.version, patch: privacy ? redact(patch) : patch } : { type: "snapshot", version, snapshot: privacy ? redact(snapshot) : snapshot };
        messages.set(privacy, (text = JSON.stringify(message)));
      }
      return text;
    };
    for (const connection of this.room.getConnections<ConnectionState>()) connection.send(messageFor(Boolean(connection.state?.privacy)));
    await this.room.storage.put<Stored>("board", this.stored);
  }

  async sendSnapshot(connection: Party.Connection<ConnectionState>) {
    const stored = await this.current();
    if (!stored) return;
    const message: ServerMessage = { type: "snapshot", version: stored.version, snapshot: connection.state?.privacy ? redact(stored.snapshot) : stored.snapshot };
    connection.send(JSON.stringify(message));
  }
}
