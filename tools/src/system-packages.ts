// The system packages the tests need (tools/system-packages.txt), and the checks that turn a
// missing one into a message naming the package to install.
import { spawnSync } from "node:child_process";
import { accessSync, constants, readFileSync } from "node:fs";
import { delimiter, isAbsolute, join } from "node:path";
import { fileURLToPath } from "node:url";

export const systemPackagesFile = fileURLToPath(new URL("../system-packages.txt", import.meta.url));
/** The interpreter the Python tests run, Debian's (it has python3-grpcio). */
export const python = "/usr/bin/python3";

export interface SystemPackage {
  /** The Debian package. */
  readonly name: string;
  /** What proves it is installed: `command:NAME` or `python:MODULE`. */
  readonly provides: string;
  /** What the tests use it for. */
  readonly purpose: string;
}

/** Parses a package list: `package provides purpose…` a line, `#` comments. */
export function parseSystemPackages(text: string): SystemPackage[] {
  return text
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"))
    .map((line) => {
      const [name = "", provides = "", ...purpose] = line.split(/\s+/);
      return { name, provides, purpose: purpose.join(" ") };
    });
}

export function systemPackages(): SystemPackage[] {
  return parseSystemPackages(readFileSync(systemPackagesFile, "utf8"));
}

/** The one command that installs `names`. */
export function aptInstallCommand(names: readonly string[]): string {
  return `sudo apt-get install -y ${names.join(" ")}`;
}

/** The full path of `command` on PATH (or `command` itself if absolute and executable). */
export function findCommand(command: string): string | undefined {
  const candidates = isAbsolute(command)
    ? [command]
    : (process.env.PATH ?? "").split(delimiter).map((dir) => join(dir, command));
  return candidates.find((path) => {
    try {
      accessSync(path, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** Whether what `provides` names is there. */
export function isProvided(provides: string): boolean {
  const [kind, name = ""] = provides.split(/:(.*)/);
  if (kind === "command") return findCommand(name) !== undefined;
  if (kind === "python") {
    if (findCommand(python) === undefined) return false;
    return spawnSync(python, ["-c", `import ${name}`], { stdio: "ignore" }).status === 0;
  }
  throw new Error(`${systemPackagesFile}: "${provides}" is neither command:NAME nor python:MODULE`);
}

function requireProvided(provides: string, what: string): void {
  if (isProvided(provides)) return;
  // "command:/usr/bin/chromium" is the package of "command:chromium".
  const plain = provides.replace(/^command:.*\//, "command:");
  const found = systemPackages().find(
    (item) => item.provides === provides || item.provides === plain,
  );
  const fix = found
    ? `${aptInstallCommand([found.name])} (${found.purpose})`
    : `add it to ${systemPackagesFile} with the package that provides it`;
  throw new Error(`${what} is not installed: ${fix}`);
}

/** Returns the command's path; throws naming the package to install when it is missing. */
export function requireCommand(command: string): string {
  requireProvided(`command:${command}`, command);
  return findCommand(command) as string;
}

/** Throws naming the package to install when /usr/bin/python3 cannot import `module`. */
export function requirePythonModule(module: string): void {
  requireProvided(`python:${module}`, `the Python module ${module}`);
}
