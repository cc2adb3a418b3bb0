// Drives fixtures/store-child.ts: a TeamStore in a process of its own.
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface, type Interface } from "node:readline";
import { fileURLToPath } from "node:url";
import type { StoreConfig } from "../../../src/store/open-team-store.ts";

const childScript = fileURLToPath(new URL("../fixtures/store-child.ts", import.meta.url));

export type StoreChild = {
  process: ChildProcess;
  /** Sends a command and resolves with the child's answer line. */
  ask(command: string): Promise<string>;
  kill(): Promise<void>;
};

export async function startStoreChild(config: StoreConfig): Promise<StoreChild> {
  const child = spawn(process.execPath, ["--import", "tsx", childScript, JSON.stringify(config)], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const exited = once(child, "exit");
  const lines: Interface = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const next = () =>
    new Promise<string>((resolve, reject) => {
      lines.once("line", resolve);
      void exited.then(() => reject(new Error("the store child exited")));
    });
  if ((await next()) !== "ready") throw new Error("the store child did not start");
  return {
    process: child,
    ask(command) {
      const answer = next();
      child.stdin?.write(`${command}\n`);
      return answer;
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await exited;
    },
  };
}
