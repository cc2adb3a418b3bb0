// `npm run validate:envoy -w deploy [-- path/to/envoy.yaml]`: the CI check, by hand.
import { readFileSync } from "node:fs";
import { formatProblems, validateEnvoyYaml } from "./envoy-yaml-validation.ts";

const path = process.argv[2] ?? "envoy.yaml";
const { problems } = validateEnvoyYaml(readFileSync(path, "utf8"));
if (problems.length > 0) {
  console.error(`${path}: ${problems.length} problem(s)\n${formatProblems(problems)}`);
  process.exitCode = 1;
} else {
  console.log(`${path}: valid Envoy v3 bootstrap, no deprecated fields`);
}
