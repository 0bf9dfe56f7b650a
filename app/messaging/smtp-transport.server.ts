import nodemailer from "nodemailer";
import type { SendResult, Transport } from "./transports";

/**
 * SMTP through nodemailer: the embedded default's way to reach people's inboxes (a clinic's
 * Google Workspace / Microsoft 365 relay, or any mail server). SMTP_URL is
 * smtp://user:pass@host:587 (STARTTLS) or smtps://…:465. Permanent refusals (5xx) dead-letter at
 * once; temporary ones (4xx) and network failures are retried by the job.
 */
export function smtpTransport(config: { url: string; from: string }): Transport {
  const mailer = nodemailer.createTransport(config.url);
  return {
    name: "smtp",
    async send(m): Promise<SendResult> {
      try {
        const info = await mailer.sendMail({
          from: config.from,
          to: m.to,
          subject: m.subject,
          text: m.body,
          ...(m.unsubscribeUrl ? { headers: { "List-Unsubscribe": `<${m.unsubscribeUrl}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" } } : {}),
          ...(m.attachments?.length ? { attachments: m.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, content: Buffer.from(a.content) })) } : {}),
        });
        return { ok: true, providerMessageId: info.messageId ?? null, local: false };
      } catch (error) {
        const code = (error as { responseCode?: number }).responseCode;
        if (typeof code === "number") return { ok: false, code: `smtp_${code}`, retryable: code < 500 };
        return { ok: false, code: "network", retryable: true };
      }
    },
  };
}
