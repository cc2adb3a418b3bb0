import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import { Metadata, status } from "@grpc/grpc-js";
import {
  createWriteAuthorizer,
  type JwtWriteAuthorizer,
} from "../../src/auth/jwt-write-authorizer.ts";
import { expectRejection } from "./expect-rejection.ts";
import {
  audience,
  base64url,
  issuer,
  jwksOf,
  makeKey,
  sign,
  type TestKey,
  type TokenOptions,
  validClaims,
  withAuthorization,
} from "./test-keys.ts";

const { UNAUTHENTICATED, PERMISSION_DENIED } = status;

describe("JwtWriteAuthorizer", () => {
  let trusted: TestKey;
  let stranger: TestKey;
  let authorizer: JwtWriteAuthorizer;

  before(async () => {
    trusted = await makeKey("ES256");
    stranger = await makeKey("ES256");
    const path = join(mkdtempSync(join(tmpdir(), "teams-auth-")), "jwks.json");
    writeFileSync(path, JSON.stringify(jwksOf(trusted)));
    authorizer = await createWriteAuthorizer({
      keys: { kind: "jwks-file", path },
      issuer: issuer,
      audience: audience,
      clockToleranceSec: 30,
    });
  });

  const authorize = (token: string) => authorizer.authorize(withAuthorization(`Bearer ${token}`));
  /** The token and the trusted key's private and public coordinates must never be quoted. */
  const secretsOf = (token: string) => [
    token,
    token.split(".")[2] ?? token,
    String(trusted.publicJwk.x),
  ];

  /** Signs a token with `options` and expects the authorizer to refuse it with `reason`. */
  const refuses = async (
    options: TokenOptions,
    reason: string,
    { key = trusted, code = UNAUTHENTICATED } = {},
  ) => {
    const token = await sign(key, options);
    return expectRejection(authorize(token), code, reason, secretsOf(token));
  };

  it("accepts a valid token with the scope and answers its subject", async () => {
    assert.deepEqual(await authorize(await sign(trusted)), { subject: "alice" });
  });

  it("reads the scope from an `scp` list and from a scope list of several", async () => {
    const scp = await sign(trusted, {
      claims: { scope: undefined, scp: ["teams:read", "teams:write"] },
    });
    assert.equal((await authorize(scp)).subject, "alice");
    const several = await sign(trusted, { claims: { scope: "openid teams:write" } });
    assert.equal((await authorize(several)).subject, "alice");
  });

  it("refuses a call without authorization: UNAUTHENTICATED TOKEN_MISSING", async () => {
    const error = await expectRejection(
      authorizer.authorize(new Metadata()),
      UNAUTHENTICATED,
      "TOKEN_MISSING",
    );
    assert.match(error.details, /missing token.*authorization: Bearer <JWT>.*teams:write/);
  });

  it("refuses another scheme than Bearer: TOKEN_MALFORMED", async () => {
    const token = await sign(trusted);
    const call = authorizer.authorize(withAuthorization(`Basic ${token}`));
    const error = await expectRejection(call, UNAUTHENTICATED, "TOKEN_MALFORMED", secretsOf(token));
    assert.match(error.details, /must be "Bearer <JWT>"/);
  });

  it("refuses a token that is not a JWT: TOKEN_MALFORMED", async () => {
    await expectRejection(authorize("not.a-jwt"), UNAUTHENTICATED, "TOKEN_MALFORMED", [
      "not.a-jwt",
    ]);
    await expectRejection(authorize("abc"), UNAUTHENTICATED, "TOKEN_MALFORMED");
  });

  it("refuses a token signed by another key under the trusted kid: TOKEN_SIGNATURE_INVALID", async () => {
    const error = await refuses({ kid: trusted.kid }, "TOKEN_SIGNATURE_INVALID", { key: stranger });
    assert.match(error.details, /signature invalid/);
  });

  it("refuses a token signed by another key under its own kid: TOKEN_KEY_UNKNOWN", async () => {
    await refuses({}, "TOKEN_KEY_UNKNOWN", { key: stranger });
  });

  it("refuses an unsigned token (alg none): TOKEN_ALGORITHM_NOT_ALLOWED", async () => {
    const claims = validClaims();
    const token = `${base64url({ alg: "none", typ: "JWT" })}.${base64url(claims)}.`;
    await expectRejection(authorize(token), UNAUTHENTICATED, "TOKEN_ALGORITHM_NOT_ALLOWED", [
      token,
    ]);
  });

  it("refuses an HS256 token keyed with the public key: TOKEN_ALGORITHM_NOT_ALLOWED", async () => {
    const claims = validClaims();
    const input = `${base64url({ alg: "HS256", typ: "JWT", kid: trusted.kid })}.${base64url(claims)}`;
    const publicKeyText = JSON.stringify(trusted.publicJwk);
    const mac = createHmac("sha256", publicKeyText).update(input).digest("base64url");
    const error = await expectRejection(
      authorize(`${input}.${mac}`),
      UNAUTHENTICATED,
      "TOKEN_ALGORITHM_NOT_ALLOWED",
      [mac],
    );
    assert.match(error.details, /only asymmetric/);
  });

  it("refuses the wrong audience: TOKEN_AUDIENCE_INVALID", async () => {
    const error = await refuses({ claims: { aud: "another-api" } }, "TOKEN_AUDIENCE_INVALID");
    assert.match(error.details, /aud must include "teams-api"/);
  });

  it("refuses the wrong issuer: TOKEN_ISSUER_INVALID", async () => {
    const error = await refuses(
      { claims: { iss: "https://evil.example" } },
      "TOKEN_ISSUER_INVALID",
    );
    assert.match(error.details, /iss must be "https:\/\/id.teams.example"/);
  });

  it("refuses a token expired a minute ago (beyond the 30 s skew): TOKEN_EXPIRED", async () => {
    const error = await refuses({ expiresIn: -60 }, "TOKEN_EXPIRED");
    assert.match(error.details, /token expired at .*Z \(clock skew allowed: 30 s\)/);
  });

  it("accepts a token expired 10 s ago, within the clock skew", async () => {
    assert.equal((await authorize(await sign(trusted, { expiresIn: -10 }))).subject, "alice");
  });

  it("refuses a token not valid before two minutes from now: TOKEN_NOT_YET_VALID", async () => {
    const nbf = Math.floor(Date.now() / 1000) + 120;
    await refuses({ claims: { nbf } }, "TOKEN_NOT_YET_VALID");
  });

  it("refuses a token without exp or sub: TOKEN_CLAIMS_INVALID", async () => {
    const noSub = await sign(trusted, { claims: { sub: undefined } });
    await expectRejection(authorize(noSub), UNAUTHENTICATED, "TOKEN_CLAIMS_INVALID");
    const noExp = await sign(trusted, { claims: { exp: undefined } });
    await expectRejection(authorize(noExp), UNAUTHENTICATED, "TOKEN_CLAIMS_INVALID");
  });

  it("refuses a valid token without teams:write: PERMISSION_DENIED SCOPE_MISSING", async () => {
    const error = await refuses({ claims: { scope: "teams:read" } }, "SCOPE_MISSING", {
      code: PERMISSION_DENIED,
    });
    assert.match(error.details, /lacks the scope teams:write \(it has teams:read\)/);
    assert.match(error.details, /insufficient_scope/);
    const none = await sign(trusted, { claims: { scope: undefined } });
    await expectRejection(authorize(none), PERMISSION_DENIED, "SCOPE_MISSING");
  });
});
