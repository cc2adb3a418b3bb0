// web/nginx.conf serves the page behind Envoy: it must send the same security headers
// the Node gateway sends with the page, in every location (nginx drops server-level
// add_header lines inside a location that has its own).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { securityHeaders } from "@teams/gateway";
import { readRepoFile } from "../src/stack-files.ts";

/** `location <path> { ... }` blocks of nginx.conf, each with its add_header name -> value. */
function locationHeaders(conf: string): Map<string, Map<string, string>> {
  const locations = new Map<string, Map<string, string>>();
  for (const block of conf.matchAll(/location\s+(\S+)\s*\{([^}]*)\}/g)) {
    const headers = new Map<string, string>();
    for (const line of (block[2] ?? "").matchAll(/add_header\s+(\S+)\s+"([^"]*)"/g))
      headers.set((line[1] ?? "").toLowerCase(), line[2] ?? "");
    locations.set(block[1] ?? "", headers);
  }
  return locations;
}

describe("web/nginx.conf", () => {
  it("sends the Node gateway's security headers in every location", () => {
    const locations = locationHeaders(readRepoFile("web/nginx.conf"));
    assert.deepEqual([...locations.keys()].sort(), ["/", "/assets/"]);
    for (const [path, headers] of locations) {
      for (const [name, value] of Object.entries(securityHeaders))
        assert.equal(headers.get(name), value, `location ${path}: ${name}`);
    }
  });
});
