import type * as Party from "partykit/server";
import { verifyRoomToken } from "./room-token";

/**
 * One room per clinic location. The database stays the truth: the app notifies the
 * room over HTTP (shared secret) after a commit, and the room relays the message to
 * every connected, authenticated client. The live board (issue 4) builds on this.
 */
export default class LocationRoom implements Party.Server {
  readonly options = { hibernate: true };
  constructor(readonly room: Party.Room) {}

  static async onBeforeConnect(request: Party.Request, lobby: Party.Lobby) {
    const token = new URL(request.url).searchParams.get("token") ?? "";
    const secret = (lobby.env.PARTY_SECRET as string | undefined) ?? "";
    const claims = secret ? await verifyRoomToken(token, secret, Date.now()) : null;
    if (!claims || claims.locationId !== lobby.id) return new Response("Unauthorized", { status: 401 });
    return request;
  }

  async onRequest(request: Party.Request) {
    const secret = (this.room.env.PARTY_SECRET as string | undefined) ?? "";
    if (request.method !== "POST" || !secret || request.headers.get("authorization") !== `Bearer ${secret}`) {
      return new Response("Unauthorized", { status: 401 });
    }
    const body = await request.text();
    if (body.length > 64 * 1024) return new Response("Too large", { status: 413 });
    this.room.broadcast(body);
    return new Response(null, { status: 204 });
  }
}
