// `npm run test:compose`'s check across replicas, through Envoy's native gRPC port:
//   TOKEN=... node --import tsx deploy/scripts/check-replicas.ts localhost:50051 "Some City"
// Prints one line per check and "N passed, N failed"; exits 1 when one fails.
import { checkWriteReadWatch } from "../src/replica-check.ts";

const [target = "localhost:50051", city = `Compose City ${Date.now()}`] = process.argv.slice(2);
const token = process.env.TOKEN ?? "";
if (!token)
  throw new Error("TOKEN: set it to a token with teams:write (npm run -s dev-token -w deploy)");
const checks = await checkWriteReadWatch({ target, token, city });
for (const { name, ok, detail } of checks)
  console.log(`${ok ? "ok  " : "FAIL"} ${name}: ${detail}`);
const failed = checks.filter((check) => !check.ok).length;
console.log(`${checks.length - failed} passed, ${failed} failed`);
process.exitCode = failed > 0 ? 1 : 0;
