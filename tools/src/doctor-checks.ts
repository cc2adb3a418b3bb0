// What `npm run doctor` checks: each finding says what is wrong and the exact command that
// fixes it. Pure enough to test: the package list and ports come in as arguments.
import { once } from "node:events";
import { createServer } from "node:net";
import { aptInstallCommand, isProvided, type SystemPackage } from "./system-packages.ts";

export interface Finding {
  readonly ok: boolean;
  /** What was checked, and what was found. */
  readonly what: string;
  /** The command (or step) that fixes it; empty when ok. */
  readonly fix: string;
}

/** Node's nodesource.com setup for a major version (Debian 12's own nodejs is 18). */
const nodeSetup = (major: number): string =>
  `curl -fsSL https://deb.nodesource.com/setup_${major}.x | sudo -E bash - && sudo apt-get install -y nodejs`;

export function checkNode(version: string, minimumMajor: number): Finding {
  const major = Number.parseInt(version.replace(/^v/, ""), 10);
  return major >= minimumMajor
    ? { ok: true, what: `Node.js ${version} (needs ${minimumMajor} or later)`, fix: "" }
    : {
        ok: false,
        what: `Node.js ${version} is too old: the workspaces need ${minimumMajor} or later`,
        fix: nodeSetup(minimumMajor),
      };
}

export function checkPackages(packages: readonly SystemPackage[]): Finding {
  const missing = packages.filter((item) => !isProvided(item.provides));
  if (missing.length === 0)
    return { ok: true, what: `system packages: all ${packages.length} installed`, fix: "" };
  return {
    ok: false,
    what: `system packages missing: ${missing.map((item) => `${item.name} (${item.purpose})`).join(", ")}`,
    fix: aptInstallCommand(missing.map((item) => item.name)),
  };
}

export interface PortToCheck {
  readonly port: number;
  readonly host: string;
  /** The variable `npm start` reads it from. */
  readonly variable: string;
}

/** Whether `npm start` can listen on the port; 0 (any free port) always can. */
export async function checkPort({ port, host, variable }: PortToCheck): Promise<Finding> {
  const what = `port ${port} (${variable}) on ${host}`;
  if (port === 0) return { ok: true, what: `${variable}=0: any free port`, fix: "" };
  const probe = createServer();
  try {
    probe.listen(port, host);
    await once(probe, "listening");
    return { ok: true, what: `${what} is free`, fix: "" };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return {
      ok: false,
      what: `${what} ${code === "EADDRINUSE" ? "is in use" : `cannot be used (${code})`}`,
      fix: `see what holds it: ss -ltnp 'sport = :${port}' and stop it, or start on another port: ${variable}=${port + 1} npm start`,
    };
  } finally {
    probe.close();
  }
}
