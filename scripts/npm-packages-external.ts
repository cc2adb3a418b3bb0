// The esbuild plugin both Node builds share (scripts/build-node.ts for server/dist and
// gateway/dist, bench/src/compiled-target.ts for the bench's compiled targets): bare imports
// stay imports, except the repo's own workspaces (@teams/*), which are compiled in.
import type { Plugin } from "esbuild";

export const npmPackagesExternal: Plugin = {
  name: "npm-packages-external",
  setup(builder) {
    builder.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith("@teams/") ? undefined : { path: args.path, external: true },
    );
  },
};
