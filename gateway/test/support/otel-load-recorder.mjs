// Preloaded (`--import`, through NODE_OPTIONS so child processes get it too) into a process a
// test starts: appends to the file $OTEL_LOAD_RECORD one JSON line per OpenTelemetry module
// the process loads, `{ pid, main, url }` (and `requiredBy` for CommonJS): ESM imports through
// a resolve hook (otel-load-hooks.mjs), CommonJS requires from the require cache at exit.
// Plain JavaScript: it runs before tsx can load TypeScript.
import { appendFileSync } from "node:fs";
import { createRequire, register } from "node:module";

const record = process.env.OTEL_LOAD_RECORD;
if (record) {
  const traced = { pid: process.pid, main: process.argv[1] ?? "" };
  register(new URL("./otel-load-hooks.mjs", import.meta.url), {
    data: { record, ...traced },
  });
  const cache = createRequire(import.meta.url).cache;
  process.on("exit", () => {
    for (const file of Object.keys(cache)) {
      if (!file.includes("/@opentelemetry/")) continue;
      const requiredBy = cache[file]?.parent?.filename;
      appendFileSync(record, `${JSON.stringify({ ...traced, url: file, requiredBy })}\n`);
    }
  });
}
