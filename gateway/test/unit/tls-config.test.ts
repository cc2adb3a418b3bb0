// TLS settings from the environment: what a good setting yields, and that each bad
// one stops the start with a message naming the variable and what to fix.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { makeCertificates, type TestCertificates } from "@teams/tools/throwaway-ca";
import { gatewayOptionsFromEnv } from "../../src/config.ts";

let certs: TestCertificates;
let other: TestCertificates;
before(() => {
  certs = makeCertificates();
  other = makeCertificates();
});
after(() => {
  certs.cleanup();
  other.cleanup();
});

const fails = (env: Record<string, string>, message: RegExp): void => {
  assert.throws(() => gatewayOptionsFromEnv(env), message);
};

describe("TLS configuration", () => {
  it("reads the certificate and key for HTTPS, and HSTS_MAX_AGE", () => {
    const options = gatewayOptionsFromEnv({
      TLS_CERT: certs.certPath,
      TLS_KEY: certs.keyPath,
      HSTS_MAX_AGE: "0",
    });
    assert.deepEqual(options.tls, { cert: certs.cert, key: certs.key });
    assert.equal(options.hstsMaxAgeSeconds, 0);
    assert.equal(options.upstreamTls, undefined);
    assert.equal(gatewayOptionsFromEnv({}).tls, undefined);
  });

  it("reads UPSTREAM_TLS, UPSTREAM_CA and UPSTREAM_SERVERNAME", () => {
    assert.deepEqual(gatewayOptionsFromEnv({ UPSTREAM_TLS: "1" }).upstreamTls, {});
    assert.equal(gatewayOptionsFromEnv({ UPSTREAM_TLS: "0" }).upstreamTls, undefined);
    assert.deepEqual(
      gatewayOptionsFromEnv({
        UPSTREAM_TLS: "true",
        UPSTREAM_CA: certs.caCertPath,
        UPSTREAM_SERVERNAME: "teams.internal",
      }).upstreamTls,
      { ca: certs.caCert, servername: "teams.internal" },
    );
  });

  it("refuses half a pair, unreadable files, non-PEM files and a key of another certificate", () => {
    fails({ TLS_CERT: certs.certPath }, /TLS_CERT and TLS_KEY must be set together/);
    fails({ TLS_KEY: certs.keyPath }, /TLS_CERT and TLS_KEY must be set together/);
    fails(
      { TLS_CERT: join(certs.dir, "nope.crt"), TLS_KEY: certs.keyPath },
      /^Error: TLS_CERT: cannot read .*nope\.crt: ENOENT/,
    );
    const junk = join(certs.dir, "junk.pem");
    writeFileSync(junk, "not a certificate\n");
    fails(
      { TLS_CERT: junk, TLS_KEY: certs.keyPath },
      /TLS_CERT: .*junk\.pem holds no PEM certificate/,
    );
    fails(
      { TLS_CERT: certs.certPath, TLS_KEY: junk },
      /TLS_KEY: .*junk\.pem holds no unencrypted PEM private key/,
    );
    fails(
      { TLS_CERT: certs.certPath, TLS_KEY: other.keyPath },
      /TLS_KEY: the key in .* does not belong to the certificate in .* \(TLS_CERT\)/,
    );
  });

  it("refuses bad upstream TLS and HSTS settings", () => {
    fails({ UPSTREAM_TLS: "yes" }, /UPSTREAM_TLS: expected 1 or 0, got "yes"/);
    fails(
      { UPSTREAM_CA: certs.caCertPath },
      /UPSTREAM_CA is set but UPSTREAM_TLS is not; set UPSTREAM_TLS=1/,
    );
    fails(
      { UPSTREAM_SERVERNAME: "teams.internal" },
      /UPSTREAM_SERVERNAME is set but UPSTREAM_TLS is not/,
    );
    fails(
      { UPSTREAM_TLS: "1", UPSTREAM_CA: certs.keyPath },
      /UPSTREAM_CA: .* holds no PEM certificate/,
    );
    fails(
      { UPSTREAM_TLS: "1", UPSTREAM_SERVERNAME: "teams internal" },
      /UPSTREAM_SERVERNAME: expected a DNS name/,
    );
    fails({ HSTS_MAX_AGE: "1y" }, /HSTS_MAX_AGE: expected whole seconds/);
  });
});
