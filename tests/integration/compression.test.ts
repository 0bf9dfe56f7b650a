import { request } from "node:http";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../helpers/test-app";

let app: TestApp;
beforeEach(async () => {
  app = await startTestApp();
});
afterEach(async () => {
  await app.close();
});

/** A raw GET (fetch would undo the encoding before the test could see it). */
function rawGet(url: string, acceptEncoding: string | null) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>((resolve, reject) => {
    const req = request(url, { headers: acceptEncoding ? { "accept-encoding": acceptEncoding } : {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("compressed answers (issue 10)", () => {
  it("sends pages, JavaScript and CSS with brotli or gzip when asked, and plain bytes when not", async () => {
    const plain = await rawGet(`${app.url}/book/lumen`, null);
    expect(plain.status).toBe(200);
    expect(plain.headers["content-encoding"]).toBeUndefined();
    const html = plain.body.toString("utf8");

    const gz = await rawGet(`${app.url}/book/lumen`, "gzip");
    expect(gz.headers["content-encoding"]).toBe("gzip");
    expect(gz.headers.vary).toMatch(/accept-encoding/i);
    expect(gunzipSync(gz.body).toString("utf8")).toContain("<html");

    const br = await rawGet(`${app.url}/book/lumen`, "br, gzip");
    expect(br.headers["content-encoding"]).toBe("br");
    expect(brotliDecompressSync(br.body).toString("utf8")).toContain("<html");

    const assets = [...new Set(html.match(/\/assets\/[\w.-]+\.(?:js|css)/g) ?? [])];
    expect(assets.some((a) => a.endsWith(".js"))).toBe(true);
    expect(assets.some((a) => a.endsWith(".css"))).toBe(true);
    for (const asset of assets) {
      const raw = await rawGet(`${app.url}${asset}`, null);
      const packed = await rawGet(`${app.url}${asset}`, "br");
      expect(packed.status).toBe(200);
      if (raw.body.length < 1024) continue;
      expect(packed.headers["content-encoding"], asset).toBe("br");
      expect(brotliDecompressSync(packed.body).equals(raw.body), asset).toBe(true);
      expect(packed.body.length, asset).toBeLessThan(raw.body.length * 0.6);
    }
  });
});
