import type { Transport } from "../app/messaging/transports";

/** The Worker build's stand-in for the SMTP adapter: Workers send email through SendGrid. */
export function smtpTransport(): Transport {
  return { name: "smtp", send: async () => ({ ok: false, code: "smtp_unavailable_on_workers", retryable: false }) };
}
