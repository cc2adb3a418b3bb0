// `npm run -s dev-token -w deploy [-- --scope S --ttl 1h --dir D]`: a development key pair for
// the Compose stack and a token signed with it, on stdout and nothing else:
//   TOKEN=$(npm run -s dev-token -w deploy)
// The key is the server's development key (`npm run token`), kept in D: on first use it writes
// D/dev-signing-key.jwk.json (mode 0600, never mounted anywhere); every run writes D/jwks.json
// (the public key, which docker-compose.yml mounts read-only into the servers and Envoy as
// /etc/teams/jwks/jwks.json). D defaults to deploy/dev-jwks (ignored by git).
// The token's iss and aud are AUTH_ISSUER and AUTH_AUDIENCE, as Compose sets them.
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parseArgs } from "node:util";
import {
  developmentAudience,
  developmentIssuer,
  loadOrCreateDevelopmentKey,
  signDevelopmentToken,
} from "@teams/server";
import { repoPath } from "../src/stack-files.ts";

const { values } = parseArgs({
  options: {
    scope: { type: "string", default: "teams:write" },
    ttl: { type: "string", default: "1h" },
    dir: { type: "string", default: repoPath("deploy/dev-jwks") },
    subject: { type: "string", default: "dev" },
  },
});
const key = await loadOrCreateDevelopmentKey(values.dir);
await writeFile(join(values.dir, "jwks.json"), `${JSON.stringify(key.jwks, null, 2)}\n`);
const { token } = await signDevelopmentToken(
  {
    keys: { kind: "development", dataDir: values.dir },
    issuer: process.env.AUTH_ISSUER ?? developmentIssuer,
    audience: process.env.AUTH_AUDIENCE ?? developmentAudience,
    clockToleranceSec: 0,
  },
  { scope: values.scope, ttl: values.ttl, sub: values.subject },
);
process.stdout.write(`${token}\n`);
