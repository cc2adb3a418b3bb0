// web/Dockerfile without an engine: its stages assembled and built as written (npm ci, Vite),
// then the final stage's nginx configuration run by Debian's nginx over the built page.
import assert from "node:assert/strict";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { securityHeaders } from "@teams/gateway";
import type { AssembledImage } from "../src/image-assembly.ts";
import { startNginx } from "../src/nginx-run.ts";
import { readRepoFile } from "../src/stack-files.ts";
import { type ImageWorkspace, imageWorkspace } from "./support/image-workspace.ts";

describe("web/Dockerfile, assembled and served by nginx", { timeout: 600_000 }, () => {
  let workspace: ImageWorkspace;
  let image: AssembledImage;
  before(async () => {
    workspace = await imageWorkspace("web");
    image = await workspace.assemble("web/Dockerfile");
  });
  after(() => workspace?.remove());

  async function get(url: string): Promise<Response> {
    const response = await fetch(url);
    await response.arrayBuffer();
    return response;
  }

  it("serves the built page and its assets with the gateway's security headers", async () => {
    const nginx = await startNginx(image.root);
    try {
      const page = await fetch(`${nginx.url}/`);
      assert.equal(page.status, 200);
      assert.match(await page.text(), /<script type="module" [^>]*src="\/assets\/[^"]+\.js"/);
      const assets = await readdir(join(image.root, "usr/share/nginx/html/assets"));
      const script = assets.find((file) => file.endsWith(".js"));
      assert.ok(script, "the build wrote a script under assets/");
      const asset = await get(`${nginx.url}/assets/${script}`);
      assert.equal(asset.status, 200);
      assert.match(asset.headers.get("cache-control") ?? "", /immutable/);
      const deepLink = await get(`${nginx.url}/teams/Chicago`);
      assert.equal(deepLink.status, 200, "unknown paths fall back to index.html");
      for (const response of [page, asset, deepLink]) {
        for (const [name, value] of Object.entries(securityHeaders))
          assert.equal(response.headers.get(name), value, `${response.url}: ${name}`);
      }
    } finally {
      await nginx.stop();
    }
  });

  it("nginx -t refuses a broken configuration, with nginx's reason", async () => {
    const broken = readRepoFile("web/nginx.conf").replace(
      "add_header X-Frame-Options",
      "add_headr X-Frame-Options",
    );
    await assert.rejects(
      startNginx(image.root, broken),
      /nginx -t refused[\s\S]*unknown directive "add_headr"/,
    );
  });

  it("a Dockerfile that puts the page where nginx does not look fails", async () => {
    const misplaced = await workspace.assemble("web/Dockerfile", (text) =>
      text.replace("/usr/share/nginx/html", "/usr/share/nginx/www"),
    );
    const nginx = await startNginx(misplaced.root);
    try {
      assert.notEqual((await get(`${nginx.url}/`)).status, 200);
    } finally {
      await nginx.stop();
    }
  });
});
