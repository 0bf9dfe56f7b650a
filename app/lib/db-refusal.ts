/**
 * Whether the database refused a write with `code` (a trigger's RAISE message or a named CHECK
 * constraint): libSQL wraps the SQLite error, so the message is looked for down the cause chain.
 */
export function refusedWith(error: unknown, code: string): boolean {
  for (let e = error as { message?: string; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) if (e.message?.includes(code)) return true;
  return false;
}
