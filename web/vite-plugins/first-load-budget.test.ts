import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";
import { firstLoadBudget } from "./first-load-budget.ts";

// Random text barely compresses, so its gzip size is close to its length.
const incompressible = (kb: number): string =>
  randomBytes(kb * 1024)
    .toString("base64")
    .slice(0, kb * 1024);

function chunk(fileName: string, kb: number, extra: Record<string, unknown> = {}) {
  return {
    type: "chunk",
    fileName,
    isEntry: false,
    imports: [],
    moduleIds: [],
    code: incompressible(kb),
    ...extra,
  };
}

const bundle = {
  "entry.js": chunk("entry.js", 6, { isEntry: true, imports: ["shared.js"] }),
  "shared.js": chunk("shared.js", 6, { moduleIds: ["/repo/node_modules/react/index.js"] }),
  "lazy.js": chunk("lazy.js", 50),
  "style.css": { type: "asset", fileName: "style.css", source: "body{}" },
};

function runPlugin(options: Parameters<typeof firstLoadBudget>[0]): void {
  const plugin = firstLoadBudget(options);
  const context = {
    error(message: string): never {
      throw new Error(message);
    },
  };
  (plugin.generateBundle as (...args: unknown[]) => void).call(context, {}, bundle, false);
}

describe("firstLoadBudget", () => {
  afterEach(() => vi.restoreAllMocks());

  it("prints the gzip size of the entry and its static imports, not lazy chunks", () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    runPlugin({ budgetKb: 30 });
    const line = String(log.mock.calls[0]?.[0]);
    expect(line).toMatch(/^first-load JS: \d+\.\d KB gzip \(budget 30 KB\)$/);
    const kb = Number.parseFloat(line.slice("first-load JS: ".length));
    expect(kb).toBeGreaterThan(8); // base64 text: about 6 bits per character
    expect(kb).toBeLessThan(13); // the 50 KB lazy chunk would add about 37
  });

  it("fails the build over budget", () => {
    vi.spyOn(console, "log").mockImplementation(() => {});
    expect(() => runPlugin({ budgetKb: 8 })).toThrow(/over budget/);
  });

  it("fails the build when a forbidden package is bundled", () => {
    vi.spyOn(console, "log").mockImplementation(() => {});
    expect(() => runPlugin({ budgetKb: 30, forbiddenPackages: ["react"] })).toThrow(
      /react\/index\.js is in the browser bundle/,
    );
    expect(() => runPlugin({ budgetKb: 30, forbiddenPackages: ["@grpc/grpc-js"] })).not.toThrow();
  });
});
