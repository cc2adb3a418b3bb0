// `npm run -s dev-token -w deploy [-- --scope S --ttl 1h --dir D]`: a development key pair for
// the Compose stack and a token signed with it, on stdout and nothing else:
//   TOKEN=$(npm run -s dev-token -w deploy)
// On first use it writes D/private.jwk.json (mode 0600, never mounted anywhere) and
// D/jwks.json (the public key, which docker-compose.yml mounts read-only into the servers and
// Envoy as /etc/teams/jwks/jwks.json). D defaults to deploy/dev-jwks (ignored by git).
// The token's iss and aud are AUTH_ISSUER and AUTH_AUDIENCE, as Compose sets them.
import { randomUUID } from "node:crypto";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { exportJWK, generateKeyPair, importJWK, type JWK, SignJWT } from "jose";
import { repoPath } from "../src/stack-files.ts";

const algorithm = "ES256";

async function loadOrCreateKey(dir: string): Promise<JWK> {
  const privatePath = join(dir, "private.jwk.json");
  try {
    return JSON.parse(await readFile(privatePath, "utf8")) as JWK;
  } catch {
    await mkdir(dir, { recursive: true });
    const { publicKey, privateKey } = await generateKeyPair(algorithm, { extractable: true });
    const kid = randomUUID();
    const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: algorithm };
    const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: algorithm, use: "sig" };
    await writeFile(privatePath, `${JSON.stringify(privateJwk)}\n`, { mode: 0o600 });
    await chmod(privatePath, 0o600);
    await writeFile(join(dir, "jwks.json"), `${JSON.stringify({ keys: [publicJwk] }, null, 2)}\n`);
    return privateJwk;
  }
}

const { values } = parseArgs({
  options: {
    scope: { type: "string", default: "teams:write" },
    ttl: { type: "string", default: "1h" },
    dir: { type: "string", default: repoPath("deploy/dev-jwks") },
    subject: { type: "string", default: "dev" },
  },
});
const jwk = await loadOrCreateKey(values.dir);
const token = await new SignJWT({ scope: values.scope })
  .setProtectedHeader({ alg: algorithm, kid: jwk.kid, typ: "JWT" })
  .setIssuer(process.env.AUTH_ISSUER ?? "teams-dev")
  .setAudience(process.env.AUTH_AUDIENCE ?? "teams")
  .setSubject(values.subject)
  .setIssuedAt()
  .setExpirationTime(values.ttl)
  .sign(await importJWK(jwk, algorithm));
process.stdout.write(`${token}\n`);
