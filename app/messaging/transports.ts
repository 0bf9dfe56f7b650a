/**
 * Channel adapters. Each speaks its provider's documented HTTP API through an injected
 * fetch, so tests run them against local fakes; the local transport delivers to the staff
 * outbox viewer (the embedded default).
 */
export interface OutgoingMessage {
  channel: "email" | "sms";
  to: string;
  subject: string;
  body: string;
  /** Patient emails: one-click unsubscribe (RFC 8058), sent as List-Unsubscribe headers. */
  unsubscribeUrl?: string | null;
  /** Files made at send time (a gift card's PDF, a receipt); never stored with the message. */
  attachments?: Attachment[];
}

export interface Attachment {
  filename: string;
  contentType: string;
  content: Uint8Array;
}

const base64 = (bytes: Uint8Array) => {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
};

export type SendResult = { ok: true; providerMessageId: string | null; local: boolean } | { ok: false; code: string; retryable: boolean };

export interface Transport {
  name: string;
  send(message: OutgoingMessage): Promise<SendResult>;
}

type Fetch = typeof fetch;

function failure(status: number): SendResult {
  // 4xx other than throttling will fail again the same way: dead-letter at once.
  return { ok: false, code: `http_${status}`, retryable: status >= 500 || status === 429 || status === 408 };
}

/** SendGrid v3 Mail Send: POST /v3/mail/send, bearer key, 202 Accepted with X-Message-Id. */
export function sendgridTransport(config: { apiKey: string; from: string; baseUrl?: string }, fetchImpl: Fetch = fetch): Transport {
  const fromMatch = /^(.*)<(.+)>$/.exec(config.from.trim());
  const from = fromMatch ? { name: fromMatch[1].trim(), email: fromMatch[2].trim() } : { email: config.from.trim() };
  return {
    name: "sendgrid",
    async send(m) {
      try {
        const res = await fetchImpl(`${config.baseUrl ?? "https://api.sendgrid.com"}/v3/mail/send`, {
          method: "POST",
          headers: { authorization: `Bearer ${config.apiKey}`, "content-type": "application/json" },
          body: JSON.stringify({
            personalizations: [{ to: [{ email: m.to }] }],
            from,
            subject: m.subject,
            content: [{ type: "text/plain", value: m.body }],
            ...(m.unsubscribeUrl ? { headers: { "List-Unsubscribe": `<${m.unsubscribeUrl}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" } } : {}),
            ...(m.attachments?.length ? { attachments: m.attachments.map((a) => ({ content: base64(a.content), filename: a.filename, type: a.contentType, disposition: "attachment" })) } : {}),
          }),
        });
        if (res.status === 202 || res.ok) return { ok: true, providerMessageId: res.headers.get("x-message-id"), local: false };
        return failure(res.status);
      } catch {
        return { ok: false, code: "network", retryable: true };
      }
    },
  };
}

/** Twilio Programmable Messaging: POST /2010-04-01/Accounts/{Sid}/Messages.json, basic auth, form body. */
export function twilioTransport(config: { accountSid: string; authToken: string; from: string; baseUrl?: string }, fetchImpl: Fetch = fetch): Transport {
  return {
    name: "twilio",
    async send(m) {
      try {
        const res = await fetchImpl(`${config.baseUrl ?? "https://api.twilio.com"}/2010-04-01/Accounts/${encodeURIComponent(config.accountSid)}/Messages.json`, {
          method: "POST",
          headers: { authorization: `Basic ${btoa(`${config.accountSid}:${config.authToken}`)}`, "content-type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams({ To: m.to, From: config.from, Body: m.body }).toString(),
        });
        if (res.status === 201 || res.ok) {
          const json = (await res.json().catch(() => ({}))) as { sid?: string };
          return { ok: true, providerMessageId: json.sid ?? null, local: false };
        }
        return failure(res.status);
      } catch {
        return { ok: false, code: "network", retryable: true };
      }
    },
  };
}

/** The embedded default: nothing leaves the machine; staff read messages at /outbox. */
export const localTransport: Transport = {
  name: "local",
  async send() {
    return { ok: true, providerMessageId: null, local: true };
  },
};
