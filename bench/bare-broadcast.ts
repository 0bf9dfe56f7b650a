// The floor for board-latency: a bare WebSocket server (the `ws` package, nothing else) in its own
// process, like the room. A POST's body is sent as is to every connected client. Prints its port.
import { createServer } from "node:http";
import { WebSocketServer } from "ws";

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    const payload = Buffer.concat(chunks).toString();
    for (const client of sockets.clients) client.send(payload);
    res.writeHead(204).end();
  });
});
const sockets = new WebSocketServer({ server, perMessageDeflate: false });
server.listen(0, "127.0.0.1", () => process.stdout.write(`${(server.address() as { port: number }).port}\n`));
process.on("SIGTERM", () => process.exit(0));
