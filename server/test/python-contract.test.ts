import assert from "node:assert/strict";
import { execFile, spawn } from "node:child_process";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { signDevelopmentToken } from "../src/auth/development-token.ts";
import { readAuthConfig } from "../src/index.ts";
import { tempDir } from "./support/teams-files.ts";
import { useTestServer } from "./support/test-server.ts";

const run = promisify(execFile);
const client = fileURLToPath(new URL("./native/contract_client.py", import.meta.url));
const protoDir = fileURLToPath(new URL("../../proto", import.meta.url));
const buf = fileURLToPath(new URL("../../node_modules/.bin/buf", import.meta.url));
// Debian's python3-grpcio lives under the system interpreter only.
const python = "/usr/bin/python3";

const temp = tempDir();
// Real tokens: the server trusts a development key made in a temporary DATA_DIR.
const auth = readAuthConfig({ DATA_DIR: temp.dir });
const t = useTestServer({ auth, sqlite: true });
const descriptors = `${temp.dir}/teams.binpb`;
let token = "";

before(async () => {
  await run(buf, ["build", protoDir, "-o", descriptors]);
  const signed = await signDevelopmentToken(auth, {
    scope: "teams:write",
    ttl: "1h",
    sub: "python",
  });
  token = signed.token;
});
after(() => temp.cleanup());

/** Runs the Python client; resolves with its stdout lines and exit code. */
function python3(args: string[], options: { token?: string; stdin?: string } = {}) {
  return new Promise<{ lines: string[]; code: number | null }>((resolve, reject) => {
    const child = spawn(python, [client, descriptors, `127.0.0.1:${t.server.port}`, ...args], {
      env: { ...process.env, TEAMS_TOKEN: options.token ?? "" },
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk) => {
      out += chunk;
    });
    child.stderr.on("data", (chunk) => {
      err += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (err) reject(new Error(err));
      else resolve({ lines: out.trimEnd().split("\n"), code });
    });
    child.stdin.end(options.stdin ?? "");
  });
}

describe("Python's grpcio against the contract", () => {
  it("PutTeam with a token creates a team that GetTeam then answers", async () => {
    const put = await python3(["put", "Miami", "Dolphins"], { token });
    assert.deepEqual(put, { lines: ["Miami Dolphins version"], code: 0 });
    const lookup = await python3(["lookup", "Miami"]);
    assert.deepEqual(lookup.lines, ["Miami Dolphins"]);
  });

  it("PutTeam without a token is UNAUTHENTICATED", async () => {
    const put = await python3(["put", "Tampa", "Rays"]);
    assert.equal(put.code, 1);
    assert.match(put.lines.join("\n"), /^UNAUTHENTICATED: missing token: /);
  });

  it("ImportTeams streams rows from a generator and answers the counts and rejected rows", async () => {
    const rows = ["Austin,Bats", "Chicago,Jackals", "Boston,Beans", ",Nobody", "Reno,Aces"];
    const result = await python3(["import"], { token, stdin: `${rows.join("\n")}\n` });
    assert.deepEqual(result, {
      lines: ["created=2 updated=1 unchanged=1 rejected=1", "rejected 3 city"],
      code: 0,
    });
  });

  it("LookupTeams answers each city on the open stream before the next is sent", async () => {
    const result = await python3(["lookup", "Chicago", "Philadelphia", "Atlantis"]);
    assert.deepEqual(result, {
      lines: ["Chicago Jackals", "Philadelphia Foxes", "Atlantis not a member"],
      code: 0,
    });
  });
});
