import { parseWithZod } from "@conform-to/zod";
import type { ZodTypeAny } from "zod";

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
