import { createRequire } from "node:module";

/**
 * The embedded libSQL driver (`@libsql/client` over the `libsql` package) compiles every
 * statement from scratch on every call: on the board's status-change path, compiling the
 * snapshot query and the session lookups cost more than running them (ADR 015). This keeps each
 * connection's compiled statements, most recently used first, and hands them back for the same SQL.
 *
 * Reusing a compiled statement is safe with this driver: every call is synchronous and reads all
 * rows before returning (nothing is left half-iterated), and the client sets raw/safe-integer modes
 * on each use. One catch, found by the test: a statement compiled before a schema change reports
 * its old column list until it runs again, so any schema change made through this process empties
 * every cache. Migrations from another process while the server runs are not a supported flow
 * (`npm start` migrates first). The cache belongs to its connection and goes with it.
 */
export const STATEMENT_CACHE_SIZE = 256;

interface LibsqlStatement {
  run(...args: unknown[]): unknown;
}

interface LibsqlDatabaseClass {
  prototype: { prepare(this: object, sql: string): LibsqlStatement; exec(this: object, sql: string): unknown };
}

const caches = new WeakMap<object, { generation: number; statements: Map<string, LibsqlStatement> }>();
let installed = false;
/** Bumped by any schema change made in this process; caches from an older generation are dropped. */
let schemaGeneration = 0;
// Leading whitespace and comments, then a DDL keyword (migration files start statements with comments).
const SCHEMA_CHANGE = /^(?:\s|--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/)*(?:create|alter|drop)\b/i;

/** Idempotent; Node only (the Worker talks to Turso over HTTP and compiles nothing here). */
export function installStatementCache(size = STATEMENT_CACHE_SIZE) {
  if (installed) return;
  installed = true;
  const Database = createRequire(import.meta.url)("libsql") as LibsqlDatabaseClass;
  const prepare = Database.prototype.prepare;
  Database.prototype.prepare = function cachedPrepare(this: object, sql: string) {
    if (SCHEMA_CHANGE.test(sql)) {
      schemaGeneration++;
      return prepare.call(this, sql);
    }
    let entry = caches.get(this);
    if (!entry || entry.generation !== schemaGeneration) caches.set(this, (entry = { generation: schemaGeneration, statements: new Map() }));
    const cache = entry.statements;
    const hit = cache.get(sql);
    if (hit) {
      // Map keeps insertion order: re-inserting marks it most recently used.
      cache.delete(sql);
      cache.set(sql, hit);
      return hit;
    }
    const statement = prepare.call(this, sql);
    cache.set(sql, statement);
    if (cache.size > size) cache.delete(cache.keys().next().value!);
    return statement;
  };
  // Several statements at once (scripts, `executeMultiple`) never reach `prepare`: assume a schema change.
  const exec = Database.prototype.exec;
  Database.prototype.exec = function execAndForget(this: object, sql: string) {
    schemaGeneration++;
    return exec.call(this, sql);
  };
}

/** For tests: how many compiled statements a libsql Database currently keeps. */
export function cachedStatementCount(database: object) {
  return caches.get(database)?.statements.size ?? 0;
}
