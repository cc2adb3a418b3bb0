import assert from "node:assert/strict";
import { once } from "node:events";
import { mkdtempSync, utimesSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { status } from "@grpc/grpc-js";
import type { KeySource } from "../../src/auth/auth-config.ts";
import { createWriteAuthorizer } from "../../src/auth/jwt-write-authorizer.ts";
import { expectRejection } from "./expect-rejection.ts";
import {
  audience,
  issuer,
  jwksOf,
  makeKey,
  sign,
  type TestKey,
  withAuthorization,
} from "./test-keys.ts";

const expected = { issuer: issuer, audience: audience, clockToleranceSec: 30 };
const authorizerFor = (keys: KeySource) =>
  createWriteAuthorizer({ keys, ...expected }, { cooldownMs: 0, fetchTimeoutMs: 2000 });
const bearer = async (key: TestKey) => withAuthorization(`Bearer ${await sign(key)}`);

describe("key set from AUTH_JWKS_URL", () => {
  let server: Server;
  let url: URL;
  let served: { keys: unknown[] } = { keys: [] };
  let fetches = 0;
  let first: TestKey;
  let second: TestKey;

  before(async () => {
    [first, second] = [await makeKey("ES256"), await makeKey("RS256")];
    served = jwksOf(first);
    server = createServer((_request, response) => {
      fetches += 1;
      response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(served));
    });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    url = new URL(
      `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`,
    );
  });
  after(() => server.close());

  it("fetches the key set once and caches it", async () => {
    const authorizer = await authorizerFor({ kind: "jwks-url", url });
    fetches = 0;
    await authorizer.authorize(await bearer(first));
    await authorizer.authorize(await bearer(first));
    assert.equal(fetches, 1);
  });

  it("refetches on an unknown kid: a rotated-in key is trusted without a restart", async () => {
    served = jwksOf(first);
    const authorizer = await authorizerFor({ kind: "jwks-url", url });
    fetches = 0;
    assert.equal((await authorizer.authorize(await bearer(first))).subject, "alice");
    served = jwksOf(second); // the provider rotates: first is retired, second is new
    assert.equal((await authorizer.authorize(await bearer(second))).subject, "alice");
    assert.equal(fetches, 2);
    const retired = await sign(first);
    await expectRejection(
      authorizer.authorize(withAuthorization(`Bearer ${retired}`)),
      status.UNAUTHENTICATED,
      "TOKEN_KEY_UNKNOWN",
      [retired],
    );
  });

  it("answers UNAVAILABLE JWKS_UNAVAILABLE when the key set cannot be fetched", async () => {
    const gone = createServer((_request, response) => response.writeHead(503).end());
    gone.listen(0, "127.0.0.1");
    await once(gone, "listening");
    const port = (gone.address() as AddressInfo).port;
    const authorizer = await authorizerFor({
      kind: "jwks-url",
      url: new URL(`http://127.0.0.1:${port}/jwks`),
    });
    const error = await expectRejection(
      authorizer.authorize(await bearer(first)),
      status.UNAVAILABLE,
      "JWKS_UNAVAILABLE",
    );
    assert.match(error.details, /retry later/);
    gone.close();
  });
});

describe("key set from AUTH_JWKS_FILE", () => {
  it("re-reads the file when a token names a kid it does not hold and the file changed", async () => {
    const [first, second] = [await makeKey("ES256"), await makeKey("EdDSA")];
    const path = join(mkdtempSync(join(tmpdir(), "teams-jwks-")), "jwks.json");
    writeFileSync(path, JSON.stringify(jwksOf(first)));
    const authorizer = await authorizerFor({ kind: "jwks-file", path });
    await expectRejection(
      authorizer.authorize(await bearer(second)),
      status.UNAUTHENTICATED,
      "TOKEN_KEY_UNKNOWN",
    );

    writeFileSync(path, JSON.stringify(jwksOf(first, second)));
    const later = new Date(Date.now() + 5000);
    utimesSync(path, later, later); // a new mtime even on a coarse clock
    assert.equal((await authorizer.authorize(await bearer(second))).subject, "alice");
    assert.equal((await authorizer.authorize(await bearer(first))).subject, "alice");
  });

  it("refuses to start on a missing file, a file that is not a key set, or one with a private key", async () => {
    const dir = mkdtempSync(join(tmpdir(), "teams-jwks-"));
    await assert.rejects(
      authorizerFor({ kind: "jwks-file", path: join(dir, "absent.json") }),
      /AUTH_JWKS_FILE: cannot read/,
    );
    writeFileSync(join(dir, "bad.json"), '{"secret": "do-not-echo"');
    await assert.rejects(
      authorizerFor({ kind: "jwks-file", path: join(dir, "bad.json") }),
      (error: Error) => {
        assert.match(error.message, /is not a JSON Web Key Set/);
        assert.ok(!error.message.includes("do-not-echo"));
        return true;
      },
    );
    writeFileSync(join(dir, "private.json"), JSON.stringify({ keys: [{ kty: "EC", d: "x" }] }));
    await assert.rejects(
      authorizerFor({ kind: "jwks-file", path: join(dir, "private.json") }),
      /holds a private key/,
    );
  });
});
