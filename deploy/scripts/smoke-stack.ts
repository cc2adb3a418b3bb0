// Smoke-tests a running stack over gRPC-Web, as `npm run test:compose` does after `up`:
//   node --import tsx deploy/scripts/smoke-stack.ts http://localhost:8080
//   node --import tsx deploy/scripts/smoke-stack.ts --calls 30 http://localhost:8080  (load only)
import { parseArgs } from "node:util";
import { repeatGetTeam, runSmokeChecks } from "../src/grpc-web-smoke.ts";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { calls: { type: "string" }, "no-page": { type: "boolean" } },
});
const baseUrl = positionals[0] ?? "http://localhost:8080";

if (values.calls !== undefined) {
  const count = Number(values.calls);
  if (!Number.isInteger(count) || count < 1)
    throw new Error(`--calls: expected a positive integer, got ${values.calls}`);
  await repeatGetTeam(baseUrl, count);
  console.log(`${count} GetTeam calls answered by ${baseUrl}`);
} else {
  const checks = await runSmokeChecks({ baseUrl, checkPage: !values["no-page"] });
  for (const { name, ok, detail } of checks)
    console.log(`${ok ? "ok  " : "FAIL"} ${name}: ${detail}`);
  const failed = checks.filter((item) => !item.ok).length;
  console.log(`${checks.length - failed} passed, ${failed} failed`);
  process.exitCode = failed > 0 ? 1 : 0;
}
