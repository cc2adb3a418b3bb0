// The bench runs the compiled server with the node flags production runs it with: those of the
// server image's CMD, which `npm start` under NODE_ENV=production must use too.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { productionNodeFlags } from "../src/compiled-target.ts";
import { repoRoot } from "../src/paths.ts";

describe("productionNodeFlags", () => {
  it("reads the flags between node and the script of an exec-form CMD", () => {
    const dockerfile =
      'FROM node\nUSER node\nCMD ["node", "--max-semi-space-size=4", "server/dist/main.js"]\n';
    assert.deepEqual(productionNodeFlags(dockerfile), ["--max-semi-space-size=4"]);
    assert.deepEqual(productionNodeFlags('CMD ["node", "server/dist/main.js"]'), []);
  });

  it("refuses a CMD that does not run node", () => {
    assert.throws(() => productionNodeFlags('CMD ["sh", "-c", "node x.js"]'), /CMD is not/);
  });

  it("the server image and npm start in production run node with the same flags", () => {
    const flags = productionNodeFlags(readFileSync(join(repoRoot, "server/Dockerfile"), "utf8"));
    assert.ok(flags.includes("--max-semi-space-size=4"), flags.join(" "));
    const start = JSON.parse(readFileSync(join(repoRoot, "server/package.json"), "utf8")).scripts
      .start as string;
    assert.match(start, new RegExp(`exec node ${flags.join(" ")} dist/main\\.js`));
  });
});
