import type * as Party from "partykit/server";
import { diffSnapshots, isStaleSnapshot, redact, type BoardPatch, type BoardSnapshot } from "../app/board/snapshot";
import { roomSecrets, sameSecret, verifyRoomToken } from "./room-token";

/** What the room keeps between wake-ups: the last snapshot the app sent, and its version. */
interface Stored {
  version: number;
  snapshot: BoardSnapshot;
}

export type ServerMessage = { type: "snapshot"; version: number; snapshot: BoardSnapshot } | { type: "patch"; version: number; base: number; patch: BoardPatch };

/** What the app may post: a new snapshot, or the end of a user's or a session's access. */
type AppMessage = { type: "snapshot"; snapshot: BoardSnapshot } | { type: "revoke"; userId?: string; sessionTag?: string };

export interface ConnectionState {
  privacy: boolean;
  userId: string;
  sessionTag: string;
  /** When the token it connected with expires (ms): the socket is closed then. */
  exp: number;
  /** Messages received in the current rate window. */
  window: { start: number; count: number };
}

/** Close codes the board's client understands. */
export const CLOSE = { expired: 4001, revoked: 4003, rateLimited: 4008 } as const;
/** A client asks to sync rarely (after a missed patch): more than this in 10 s is ignored, three times that closes it. */
export const RATE = { windowMs: 10_000, messages: 10 } as const;

/**
 * One room per clinic location: the live treatment board. The database stays the truth: after a
 * commit the app POSTs the location's new snapshot (with the publish key); the room diffs it against
 * the last one and broadcasts a small, versioned patch. A client that connects gets the whole
 * snapshot; one that sees a gap in versions asks to "sync" and gets it again. Privacy screens get
 * initials only — decided by the app when it signed the token, never by the client. A connection
 * lives no longer than its token (minutes) and ends at once when the app says its session or
 * membership ended. Hibernation keeps idle locations free: state lives in room storage, not memory.
 */
export default class LocationRoom implements Party.Server {
  readonly options = { hibernate: true };
  constructor(readonly room: Party.Room) {}

  static async onBeforeConnect(request: Party.Request, lobby: Party.Lobby) {
    const token = new URL(request.url).searchParams.get("token") ?? "";
    const shared = (lobby.env.PARTY_SECRET as string | undefined) ?? "";
    const claims = shared ? await verifyRoomToken(token, (await roomSecrets(shared)).token, Date.now()) : null;
    if (!claims || claims.locationId !== lobby.id || claims.role === "patient" || !claims.sid) return new Response("Unauthorized", { status: 401 });
    request.headers.set("x-board-claims", JSON.stringify({ privacy: Boolean(claims.privacy), userId: claims.userId, sessionTag: claims.sid, exp: claims.exp * 1000 }));
    return request;
  }

  async onConnect(connection: Party.Connection<ConnectionState>, ctx: Party.ConnectionContext) {
    const claims = JSON.parse(ctx.request.headers.get("x-board-claims") ?? "null") as Omit<ConnectionState, "window"> | null;
    if (!claims) return connection.close(CLOSE.revoked, "No token");
    connection.setState({ ...claims, window: { start: Date.now(), count: 0 } });
    await this.sendSnapshot(connection);
    await this.scheduleExpiry(claims.exp);
  }

  async onMessage(message: string | ArrayBuffer | ArrayBufferView, sender: Party.Connection<ConnectionState>) {
    const state = sender.state;
    if (!state || this.closeIfExpired(sender)) return;
    const now = Date.now();
    const window = now - state.window.start > RATE.windowMs ? { start: now, count: 1 } : { start: state.window.start, count: state.window.count + 1 };
    sender.setState({ ...state, window });
    if (window.count > RATE.messages * 3) return sender.close(CLOSE.rateLimited, "Too many messages");
    if (window.count > RATE.messages) return;
    if (message === "sync") await this.sendSnapshot(sender);
  }

  async onRequest(request: Party.Request) {
    const shared = (this.room.env.PARTY_SECRET as string | undefined) ?? "";
    const authorization = request.headers.get("authorization") ?? "";
    if (request.method !== "POST" || !shared || !authorization.startsWith("Bearer ") || !sameSecret(authorization.slice(7), (await roomSecrets(shared)).publish)) {
      return new Response("Unauthorized", { status: 401 });
    }
    const body = await request.text();
    if (body.length > 512 * 1024) return new Response("Too large", { status: 413 });
    let message: AppMessage;
    try {
      message = JSON.parse(body);
    } catch {
      return new Response("Not JSON", { status: 400 });
    }
    if (message.type === "revoke") {
      const closed = this.revoke(message);
      return Response.json({ closed });
    }
    if (message.type !== "snapshot" || !message.snapshot || message.snapshot.locationId !== this.room.id) return new Response("Expected this location's snapshot", { status: 400 });
    await this.publish(message.snapshot);
    return new Response(null, { status: 204 });
  }

  /** The alarm set for the earliest token expiry: close what has expired, then wait for the next. */
  async onAlarm() {
    let next = Infinity;
    for (const connection of this.room.getConnections<ConnectionState>()) {
      if (!this.closeIfExpired(connection) && connection.state) next = Math.min(next, connection.state.exp);
    }
    if (next !== Infinity) await this.room.storage.setAlarm(next);
  }

  /** The app ended a session (sign-out, timeout) or a user's access (disabled, signed out everywhere). */
  revoke(message: { userId?: string; sessionTag?: string }) {
    let closed = 0;
    for (const connection of this.room.getConnections<ConnectionState>()) {
      const state = connection.state;
      if (!state) continue;
      if ((message.userId && state.userId === message.userId) || (message.sessionTag && state.sessionTag === message.sessionTag)) {
        connection.close(CLOSE.revoked, "Session ended");
        closed++;
      }
    }
    return closed;
  }

  private closeIfExpired(connection: Party.Connection<ConnectionState>) {
    if (!connection.state || connection.state.exp > Date.now()) return false;
    connection.close(CLOSE.expired, "Token expired");
    return true;
  }

  private async scheduleExpiry(exp: number) {
    const current = await this.room.storage.getAlarm();
    if (current === null || current > exp) await this.room.storage.setAlarm(exp);
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
    for (const connection of this.room.getConnections<ConnectionState>()) {
      if (this.closeIfExpired(connection)) continue;
      connection.send(messageFor(Boolean(connection.state?.privacy)));
    }
    await this.room.storage.put<Stored>("board", this.stored);
  }

  async sendSnapshot(connection: Party.Connection<ConnectionState>) {
    const stored = await this.current();
    if (!stored) return;
    const message: ServerMessage = { type: "snapshot", version: stored.version, snapshot: connection.state?.privacy ? redact(stored.snapshot) : stored.snapshot };
    connection.send(JSON.stringify(message));
  }
}
