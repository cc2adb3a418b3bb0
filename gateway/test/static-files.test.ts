// The built page as the gateway serves it: types, caching, SPA fallback, no
// traversal, security headers, and the 503 page when there is no build.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { type Gateway, startGateway } from "../src/index.ts";
import { httpTextRequest, type TextAnswer } from "./support/http-text-request.ts";

let webRoot: string;
let gateway: Gateway;
let unbuilt: Gateway;

before(async () => {
  webRoot = mkdtempSync(join(tmpdir(), "gateway-web-"));
  mkdirSync(join(webRoot, "assets"));
  writeFileSync(join(webRoot, "index.html"), "<!doctype html><title>Teams</title>");
  writeFileSync(join(webRoot, "assets", "index-AbC123.js"), "console.log('teams');");
  writeFileSync(join(webRoot, "assets", "index-AbC123.css"), "body{}");
  writeFileSync(join(webRoot, "favicon.svg"), "<svg/>");
  writeFileSync(join(webRoot, ".env"), "SECRET=1");
  const common = {
    port: 0,
    host: "127.0.0.1",
    upstream: "127.0.0.1:1",
    logLevel: "silent" as const,
  };
  gateway = await startGateway({ ...common, webRoot });
  unbuilt = await startGateway({ ...common, webRoot: join(webRoot, "missing") });
});

after(async () => {
  await gateway.close();
  await unbuilt.close();
  rmSync(webRoot, { recursive: true, force: true });
});

function get(target: Gateway, path: string, method = "GET"): Promise<TextAnswer> {
  return httpTextRequest(target.url, { method, path });
}

describe("serving the built page", () => {
  it("serves index.html at / with no-cache and the security headers", async () => {
    const page = await get(gateway, "/");
    assert.equal(page.status, 200);
    assert.match(String(page.headers["content-type"]), /^text\/html/);
    assert.equal(page.headers["cache-control"], "no-cache");
    assert.match(page.body, /<title>Teams<\/title>/);
    const csp = String(page.headers["content-security-policy"]);
    assert.match(csp, /default-src 'self'/);
    assert.match(csp, /connect-src 'self'/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.equal(page.headers["x-content-type-options"], "nosniff");
    assert.equal(page.headers["referrer-policy"], "strict-origin-when-cross-origin");
    assert.equal(page.headers["x-frame-options"], "DENY");
  });

  it("caches hashed assets for a year as immutable, with their content types", async () => {
    const script = await get(gateway, "/assets/index-AbC123.js");
    assert.equal(script.status, 200);
    assert.match(String(script.headers["content-type"]), /javascript/);
    assert.equal(script.headers["cache-control"], "public, max-age=31536000, immutable");
    const style = await get(gateway, "/assets/index-AbC123.css");
    assert.match(String(style.headers["content-type"]), /^text\/css/);
    const icon = await get(gateway, "/favicon.svg");
    assert.equal(icon.headers["content-type"], "image/svg+xml");
    assert.equal(icon.headers["cache-control"], "no-cache");
  });

  it("falls back to index.html for extension-less paths, and 404s missing files", async () => {
    const route = await get(gateway, "/teams/chicago");
    assert.equal(route.status, 200);
    assert.match(route.body, /<title>Teams<\/title>/);
    assert.equal(route.headers["cache-control"], "no-cache");
    const missing = await get(gateway, "/assets/gone-123.js");
    assert.equal(missing.status, 404);
  });

  it("answers HEAD without a body", async () => {
    const head = await get(gateway, "/", "HEAD");
    assert.equal(head.status, 200);
    assert.equal(head.body, "");
  });

  it("never serves files outside the web root or dotfiles", async () => {
    for (const path of [
      "/../package.json",
      "/%2e%2e/%2e%2e/package.json",
      "/assets/..%2f..%2fpackage.json",
      "/.env",
    ]) {
      const result = await get(gateway, path);
      // Either refused, or (an extension-less-looking path) the page itself: never the file.
      if (result.status === 200) assert.match(result.body, /<title>Teams<\/title>/, path);
      else assert.ok(result.status === 404 || result.status === 400, `${path}: ${result.status}`);
      assert.doesNotMatch(result.body, /"name"|SECRET/);
    }
  });
});

describe("without a build", () => {
  it("answers 503 with a page saying to run npm run build", async () => {
    const page = await get(unbuilt, "/");
    assert.equal(page.status, 503);
    assert.match(page.body, /npm run build/);
    assert.equal(page.headers["cache-control"], "no-store");
  });
});
