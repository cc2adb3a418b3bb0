import { gzipSync } from "node:zlib";
import type { Plugin, Rolldown } from "vite";

type OutputBundle = Rolldown.OutputBundle;
type OutputChunk = Rolldown.OutputChunk;

export interface FirstLoadBudgetOptions {
  /** The most gzip-compressed JavaScript the page may load before it is usable. */
  budgetKb: number;
  /** Packages that must never reach the browser, e.g. a Node-only library imported for types. */
  forbiddenPackages?: readonly string[];
}

/**
 * Prints the gzip size of the JavaScript a first visit downloads (the entry chunks and
 * everything they import statically) and fails the build when it is over budget, so a
 * heavy dependency cannot slip in unnoticed.
 */
export function firstLoadBudget({
  budgetKb,
  forbiddenPackages = [],
}: FirstLoadBudgetOptions): Plugin {
  return {
    name: "teams:first-load-budget",
    apply: "build",
    generateBundle(_options, bundle) {
      const chunks = firstLoadChunks(bundle);
      for (const name of forbiddenPackages) {
        const leaked = chunks
          .flatMap((chunk) => chunk.moduleIds)
          .find((id) => id.includes(`/node_modules/${name}/`));
        if (leaked) {
          this.error(
            `${leaked} is in the browser bundle; import ${name} for types only (import type)`,
          );
        }
      }
      // Default zlib level: about what a web server sends.
      const bytes = chunks.reduce((total, chunk) => total + gzipSync(chunk.code).length, 0);
      const kb = bytes / 1024;
      const line = `first-load JS: ${kb.toFixed(1)} KB gzip (budget ${budgetKb} KB)`;
      if (kb > budgetKb) {
        this.error(`${line}: over budget; drop or lazy-load a dependency`);
      }
      console.log(line);
    },
  };
}

function firstLoadChunks(bundle: OutputBundle): OutputChunk[] {
  const chunks = new Map<string, OutputChunk>();
  const visit = (fileName: string): void => {
    const item = bundle[fileName];
    if (item?.type !== "chunk" || chunks.has(fileName)) return;
    chunks.set(fileName, item);
    for (const imported of item.imports) visit(imported);
  };
  for (const item of Object.values(bundle)) {
    if (item.type === "chunk" && item.isEntry) visit(item.fileName);
  }
  return [...chunks.values()];
}
