// `npm run doctor`: every problem comes with the exact command that fixes it.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { once } from "node:events";
import { createServer, type Server } from "node:net";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { checkNode, checkPackages, checkPort } from "../src/doctor-checks.ts";

const run = promisify(execFile);
const doctor = fileURLToPath(new URL("../src/doctor.ts", import.meta.url));

let held: Server;
let heldPort: number;
before(async () => {
  held = createServer().listen(0, "127.0.0.1");
  await once(held, "listening");
  heldPort = (held.address() as { port: number }).port;
});
after(() => held.close());

describe("doctor checks", () => {
  it("passes Node 20 and names the install command for an older one", () => {
    assert.equal(checkNode("v20.19.0", 20).ok, true);
    const old = checkNode("v18.19.0", 20);
    assert.equal(old.ok, false);
    assert.match(old.what, /v18\.19\.0 is too old/);
    assert.match(old.fix, /setup_20\.x .* apt-get install -y nodejs$/);
  });

  it("gives one apt-get line for every missing package, and passes the installed ones", () => {
    const packages = [
      { name: "teams-missing-a", provides: "command:teams-no-such-tool", purpose: "a" },
      { name: "node-itself", provides: `command:${process.execPath}`, purpose: "present" },
      { name: "teams-missing-b", provides: "python:teams_no_such_module", purpose: "b" },
    ];
    const finding = checkPackages(packages);
    assert.equal(finding.ok, false);
    assert.equal(finding.fix, "sudo apt-get install -y teams-missing-a teams-missing-b");
    assert.equal(checkPackages([packages[1] as (typeof packages)[number]]).ok, true);
  });

  it("says how to see what holds a busy port, or to use another", async () => {
    const busy = await checkPort({ port: heldPort, host: "127.0.0.1", variable: "PORT" });
    assert.equal(busy.ok, false);
    assert.match(busy.what, new RegExp(`port ${heldPort} \\(PORT\\) on 127.0.0.1 is in use`));
    assert.match(
      busy.fix,
      new RegExp(`ss -ltnp 'sport = :${heldPort}'.*PORT=${heldPort + 1} npm start`),
    );
    assert.equal((await checkPort({ port: 0, host: "127.0.0.1", variable: "PORT" })).ok, true);
  });
});

describe("npm run doctor", () => {
  it("prints each finding, the fix under a problem, and exits 1", async () => {
    const result = await run(process.execPath, ["--import", "tsx", doctor], {
      env: { ...process.env, PORT: "0", GRPC_PORT: String(heldPort) },
    }).then(
      () => assert.fail("doctor exited 0 with GRPC_PORT held"),
      (error: { code: number; stdout: string }) => error,
    );
    assert.equal(result.code, 1);
    assert.match(result.stdout, /^ok {3}Node\.js v\d+/m);
    assert.match(
      result.stdout,
      new RegExp(`^FIX {2}port ${heldPort} \\(GRPC_PORT\\).*in use\\n {5}see`, "m"),
    );
    assert.match(result.stdout, /things? to fix/);
  });
});
