export type LogLevel = "debug" | "info" | "warn" | "error" | "silent";
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

/** Keys whose values never reach a log line, whatever a caller passes. */
const REDACTED = /pass|secret|token|cookie|authorization|card|email|phone|name|dob|birth/i;

export type Logger = ReturnType<typeof createLogger>;

/**
 * An error as a log line may show it. Drizzle's query errors end with the bound values
 * ("Failed query: … params: Jordan,Avery,…"): patient data. The SQL (placeholders only) and the
 * driver's reason stay; the values never reach a log, whether the error or its message is passed.
 */
export function safeErrorText(value: Error | string): string {
  const text = value instanceof Error ? `${value.name}: ${value.message}${value.cause instanceof Error ? ` (cause: ${value.cause.message})` : ""}` : value;
  return text.replace(/\nparams: [\s\S]*?(?= \(cause: |$)/, "\nparams: [redacted]").slice(0, 1_000);
}

/** One JSON line per event. Callers pass ids and codes; values under sensitive keys are masked anyway. */
// eslint-disable-next-line no-console -- the one sanctioned writer of log lines
const stdout = (line: string) => console.log(line);

export function createLogger(level: LogLevel, write: (line: string) => void = stdout) {
  function log(at: LogLevel, msg: string, fields: Record<string, unknown> = {}) {
    if (ORDER[at] < ORDER[level]) return;
    const safe: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(fields)) safe[k] = REDACTED.test(k) ? "[redacted]" : v instanceof Error || typeof v === "string" ? safeErrorText(v) : v;
    write(JSON.stringify({ t: new Date().toISOString(), level: at, msg, ...safe }));
  }
  return {
    debug: (m: string, f?: Record<string, unknown>) => log("debug", m, f),
    info: (m: string, f?: Record<string, unknown>) => log("info", m, f),
    warn: (m: string, f?: Record<string, unknown>) => log("warn", m, f),
    error: (m: string, f?: Record<string, unknown>) => log("error", m, f),
  };
}
