import { parseWithZod } from "@conform-to/zod";
import type { ZodError, ZodTypeAny } from "zod";

/** Parses a submitted form against its schema; the caller answers failures with `submission.reply()` and 400. */
export async function parseForm<S extends ZodTypeAny>(request: Request, schema: S) {
  const formData = await request.formData();
  return parseWithZod(formData, { schema });
}

/** Which of several forms on one page was submitted. */
export async function readIntent(request: Request) {
  const formData = await request.clone().formData();
  const intent = formData.get("intent");
  return typeof intent === "string" ? intent : null;
}

export const NO_STORE = { "Cache-Control": "no-store" } as const;

/** A refused schema's messages by field (the first one per field), for forms answered without Conform. */
export function fieldMessages(error: ZodError): Record<string, string> {
  const messages: Record<string, string> = {};
  for (const issue of error.issues) messages[String(issue.path[0])] ??= issue.message;
  return messages;
}
