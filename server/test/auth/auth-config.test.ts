import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { readAuthConfig } from "../../src/auth/auth-config.ts";
import { defaultDataDir } from "../../src/store/data-dir.ts";

describe("readAuthConfig", () => {
  it("uses the development key in DATA_DIR when no AUTH_JWKS_* is set", () => {
    assert.deepEqual(readAuthConfig({}), {
      keys: { kind: "development", dataDir: defaultDataDir },
      issuer: "teams-dev",
      audience: "teams",
      clockToleranceSec: 30,
    });
    assert.match(defaultDataDir, /\/data\/$/);
    assert.deepEqual(readAuthConfig({ DATA_DIR: "/var/lib/teams" }).keys, {
      kind: "development",
      dataDir: "/var/lib/teams",
    });
  });

  it("reads an identity provider's JWKS URL or file with its issuer and audience", () => {
    const env = {
      AUTH_ISSUER: "https://id.example",
      AUTH_AUDIENCE: "teams-api",
      AUTH_CLOCK_TOLERANCE_S: "10",
    };
    const byUrl = readAuthConfig({ ...env, AUTH_JWKS_URL: "https://id.example/jwks" });
    assert.deepEqual(byUrl.keys, { kind: "jwks-url", url: new URL("https://id.example/jwks") });
    assert.equal(byUrl.issuer, "https://id.example");
    assert.equal(byUrl.audience, "teams-api");
    assert.equal(byUrl.clockToleranceSec, 10);
    assert.deepEqual(readAuthConfig({ ...env, AUTH_JWKS_FILE: "/etc/jwks.json" }).keys, {
      kind: "jwks-file",
      path: "/etc/jwks.json",
    });
  });

  it("refuses incomplete or contradictory settings, naming the variable", () => {
    const cases: Array<[Record<string, string>, RegExp]> = [
      [
        { AUTH_JWKS_URL: "https://id.example/jwks", AUTH_AUDIENCE: "a" },
        /AUTH_ISSUER must be set with AUTH_JWKS_URL/,
      ],
      [
        { AUTH_JWKS_FILE: "/j.json", AUTH_ISSUER: "i" },
        /AUTH_AUDIENCE must be set with AUTH_JWKS_FILE/,
      ],
      [{ AUTH_JWKS_FILE: "/j.json", AUTH_JWKS_URL: "https://x/j" }, /exclusive/],
      [
        { AUTH_ISSUER: "https://id.example" },
        /AUTH_ISSUER is set but neither AUTH_JWKS_FILE nor AUTH_JWKS_URL/,
      ],
      [
        { AUTH_JWKS_URL: "ftp://x/j", AUTH_ISSUER: "i", AUTH_AUDIENCE: "a" },
        /AUTH_JWKS_URL must be an http\(s\) URL/,
      ],
      [
        { AUTH_CLOCK_TOLERANCE_S: "-1" },
        /AUTH_CLOCK_TOLERANCE_S must be a whole number from 0 to 300/,
      ],
    ];
    for (const [env, message] of cases) assert.throws(() => readAuthConfig(env), message);
  });
});
