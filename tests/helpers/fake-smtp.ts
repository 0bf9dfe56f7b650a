import { SMTPServer } from "smtp-server";
import type { AddressInfo } from "node:net";

export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
  /** Headers unfolded and the quoted-printable body decoded: enough to find subjects and links. */
  text: string;
}

/**
 * A local stand-in for a clinic's mail server (tests only): accepts SMTP on loopback, no TLS or
 * auth, and keeps what it receives. `reject` makes it answer a permanent or temporary refusal.
 */
export async function fakeSmtp() {
  const received: ReceivedMail[] = [];
  const listeners: (() => void)[] = [];
  const state = { reject: null as null | { code: number; message: string } };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        if (state.reject) {
          const error = Object.assign(new Error(state.reject.message), { responseCode: state.reject.code });
          return callback(error);
        }
        const raw = Buffer.concat(chunks).toString("utf8");
        const text = raw.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))).replace(/\r?\n[ \t]+/g, " ");
        received.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "", to: session.envelope.rcptTo.map((r) => r.address), raw, text });
        for (const listener of listeners) listener();
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    state,
    onReceive: (listener: () => void) => void listeners.push(listener),
    /** Waits for a mail to `to` (the app sends account emails just after answering). */
    async waitFor(to: string, { timeoutMs = 5000, count = 1 } = {}) {
      const started = Date.now();
      for (;;) {
        const mine = received.filter((m) => m.to.includes(to));
        if (mine.length >= count) return mine[count - 1];
        if (Date.now() - started > timeoutMs) throw new Error(`no mail to ${to} within ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
