// `npm run doctor`: checks what `npm start` and `npm test` need on this machine (Node.js, the
// Debian packages of tools/system-packages.txt, free ports for `npm start`) and prints the
// exact command that fixes each problem. Exits 1 when something needs fixing.
import { readFileSync } from "node:fs";
import { checkNode, checkPackages, checkPort, type Finding } from "./doctor-checks.ts";
import { systemPackages } from "./system-packages.ts";

const root = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
  engines: { node: string };
};
const minimumMajor = Number.parseInt(root.engines.node.replace(/^\D+/, ""), 10);
const portOf = (variable: string, fallback: number): number =>
  Number(process.env[variable] ?? fallback);

const findings: Finding[] = [
  checkNode(process.version, minimumMajor),
  checkPackages(systemPackages()),
  // The hosts `npm start` listens on: the gateway on all interfaces, the server on loopback.
  await checkPort({ port: portOf("PORT", 8080), host: "0.0.0.0", variable: "PORT" }),
  await checkPort({ port: portOf("GRPC_PORT", 50051), host: "127.0.0.1", variable: "GRPC_PORT" }),
];

for (const finding of findings) {
  process.stdout.write(`${finding.ok ? "ok " : "FIX"}  ${finding.what}\n`);
  if (!finding.ok) process.stdout.write(`     ${finding.fix}\n`);
}
const problems = findings.filter((finding) => !finding.ok).length;
process.stdout.write(
  problems === 0
    ? "Ready: npm start, npm test.\n"
    : `${problems} thing${problems === 1 ? "" : "s"} to fix (the indented commands above).\n`,
);
process.exitCode = problems === 0 ? 0 : 1;
