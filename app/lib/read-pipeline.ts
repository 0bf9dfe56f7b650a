import type { Client, InStatement, ResultSet } from "@libsql/client";

/**
 * Reads sent together, sent as one (a remote database: Turso from a Worker or from Node).
 *
 * A page reads what it shows with queries started at once (Promise.all); each would be an HTTP
 * request of its own to Turso, and a Worker keeps at most six open at a time and pays for each as
 * a subrequest. This client gathers the SELECTs started in the same turn of the event loop and
 * sends them as one batch (one request, one consistent snapshot); writes, batches and
 * transactions go straight through. If the batch fails, each read is sent again on its own, so
 * each caller gets its own answer or error. See docs/decisions/020-round-trips.md.
 */
export function pipelineReads(client: Client): Client {
  let queue: { stmt: InStatement; resolve: (r: ResultSet) => void; reject: (e: unknown) => void }[] = [];
  const flush = () => {
    const reads = queue;
    queue = [];
    if (reads.length === 1) return void client.execute(reads[0].stmt).then(reads[0].resolve, reads[0].reject);
    client.batch(reads.map((r) => r.stmt), "deferred").then(
      (results) => results.forEach((result, i) => reads[i].resolve(result)),
      () => {
        for (const r of reads) client.execute(r.stmt).then(r.resolve, r.reject);
      },
    );
  };
  const execute = (stmtOrSql: InStatement | string, args?: unknown) => {
    const stmt = (typeof stmtOrSql === "string" ? (args === undefined ? stmtOrSql : { sql: stmtOrSql, args }) : stmtOrSql) as InStatement;
    if (!isRead(typeof stmt === "string" ? stmt : stmt.sql)) return client.execute(stmt);
    return new Promise<ResultSet>((resolve, reject) => {
      queue.push({ stmt, resolve, reject });
      if (queue.length === 1) setTimeout(flush, 0);
    });
  };
  return new Proxy(client, {
    get(target, prop, receiver) {
      if (prop === "execute") return execute;
      const value = Reflect.get(target, prop, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

const READ = /^\s*select\b/i;
const WRITE = /\b(insert|update|delete|replace)\b/i;

/** A statement that only reads (a WITH … SELECT too), so it can go in a read batch. */
export function isRead(sql: string) {
  return READ.test(sql) || (/^\s*with\b/i.test(sql) && !WRITE.test(sql));
}
