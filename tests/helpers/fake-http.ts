import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

export interface Recorded {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}

/**
 * A local stand-in for an outside HTTP API (SendGrid, Twilio): records each request and
 * answers with what the test says. Only ever listens on loopback.
 */
type Answer = { status: number; body?: unknown; headers?: Record<string, string> };

export async function fakeApi(respond: (req: Recorded) => Answer | Promise<Answer>) {
  const requests: Recorded[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const recorded = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString("utf8") };
    requests.push(recorded);
    const out = await respond(recorded);
    res.writeHead(out.status, { "content-type": "application/json", ...out.headers });
    res.end(out.body === undefined ? "" : JSON.stringify(out.body));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, requests, close: () => new Promise<void>((r) => server.close(() => r())) };
}
