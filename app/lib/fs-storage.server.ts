import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { assertSafeKey, type FileStorage } from "./storage.server";

/** Node only: imported by the Node entry, never by app code, so the Worker bundle stays free of node:fs. */
export function createFsStorage(root: string): FileStorage {
  return {
    async put(key, body, contentType) {
      assertSafeKey(key);
      const path = join(root, key);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, body instanceof Uint8Array ? body : new Uint8Array(body));
      await writeFile(`${path}.type`, contentType);
    },
    async get(key) {
      assertSafeKey(key);
      try {
        const path = join(root, key);
        const [body, contentType] = await Promise.all([readFile(path), readFile(`${path}.type`, "utf8")]);
        return { body: new Uint8Array(body), contentType };
      } catch {
        return null;
      }
    },
    async delete(key) {
      assertSafeKey(key);
      const path = join(root, key);
      await rm(path, { force: true });
      await rm(`${path}.type`, { force: true });
    },
  };
}
