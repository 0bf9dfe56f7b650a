/**
 * Reading a server's validation answer (Conform's `submission.reply()`) without Conform in the
 * browser: for pages that must stay light on a phone (the public booking pages, issue 10). The
 * server still validates with Zod and answers with field-level messages and the values to keep.
 */
export interface ServerReply {
  initialValue?: Record<string, unknown> | null;
  error?: Record<string, string[] | null> | null;
}

export function replyField(reply: ServerReply | null | undefined, name: string, formId: string) {
  const errors = reply?.error?.[name] ?? undefined;
  const value = reply?.initialValue?.[name];
  return {
    errors: errors ?? undefined,
    inputProps: { id: `${formId}-${name}`, name, defaultValue: typeof value === "string" ? value : undefined },
    checked: value === "on" || value === true,
  };
}

/** Errors about the form as a whole (Conform keeps them under the empty name). */
export const replyFormErrors = (reply: ServerReply | null | undefined) => reply?.error?.[""] ?? undefined;
