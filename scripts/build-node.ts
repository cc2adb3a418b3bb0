// `npm run build -w server` / `-w gateway`: compiles the workspace's src/main.ts, with
// everything it imports from the workspace (generated code included) and from other
// workspaces (@teams/*), into one ES module, dist/main.js, that plain `node` runs in
// production. npm packages stay imports (node_modules is there at run time).
//
// Why esbuild and not `tsc` emit: the sources import each other without file extensions
// (moduleResolution "Bundler"), which tsc would copy as they are and Node's ES module
// loader cannot resolve. Type checking stays `npm run typecheck` (tsc).
//
// Usage (from the workspace folder): node --import tsx ../scripts/build-node.ts [outfile]
import { join } from "node:path";
import { build } from "esbuild";
import { npmPackagesExternal } from "./npm-packages-external.ts";

const workspace = process.cwd();
const outfile = process.argv[2] ?? join(workspace, "dist/main.js");
const started = Date.now();
await build({
  entryPoints: [join(workspace, "src/main.ts")],
  outfile,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  sourcemap: true,
  plugins: [npmPackagesExternal],
  logLevel: "warning",
});
process.stdout.write(`built ${outfile} in ${Date.now() - started} ms\n`);
