// What the HTTPS listener tests share: a throwaway CA's certificates (made before the file's
// tests, removed after) and a small web root.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before } from "node:test";
import { makeCertificates, type TestCertificates } from "@teams/tools/throwaway-ca";
import { TeamRequest } from "@teams/web/gen";

export interface HttpsFixtures {
  readonly webRoot: string;
  /** Set by the file's before hook. */
  readonly certs: TestCertificates;
  /** The gateway's `tls` option: the certificate for localhost and 127.0.0.1 and its key. */
  tls(): { cert: Buffer; key: Buffer };
}

/** Certificates and a web root for the calling test file (before/after hooks at its level). */
export function useHttpsFixtures(): HttpsFixtures {
  const webRoot = mkdtempSync(join(tmpdir(), "https-web-"));
  writeFileSync(join(webRoot, "index.html"), "<!doctype html><title>Teams over TLS</title>");
  mkdirSync(join(webRoot, "assets"));
  writeFileSync(join(webRoot, "assets", "app-1234.js"), "console.log('teams');\n");
  let certs: TestCertificates | undefined;
  before(() => {
    certs = makeCertificates(["localhost", "127.0.0.1"]);
  });
  after(() => {
    certs?.cleanup();
    rmSync(webRoot, { recursive: true, force: true });
  });
  const made = (): TestCertificates => {
    if (!certs) throw new Error("certificates are made in a before hook: use them in tests");
    return certs;
  };
  return {
    webRoot,
    get certs() {
      return made();
    },
    tls: () => ({ cert: made().cert, key: made().key }),
  };
}

/** A serialized GetTeam request for Boston. */
export const boston = (): Uint8Array => new TeamRequest({ city: "Boston" }).serialize();
