import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  Code,
  codeFromHttpStatus,
  codeFromRstCode,
  fromUpstreamError,
  GatewayError,
} from "../../src/status.ts";

describe("status mapping", () => {
  it("maps HTTP answers as grpc's http-grpc-status-mapping.md says", () => {
    assert.equal(codeFromHttpStatus(400), Code.INTERNAL);
    assert.equal(codeFromHttpStatus(401), Code.UNAUTHENTICATED);
    assert.equal(codeFromHttpStatus(404), Code.UNIMPLEMENTED);
    assert.equal(codeFromHttpStatus(503), Code.UNAVAILABLE);
    assert.equal(codeFromHttpStatus(418), Code.UNKNOWN);
  });

  it("maps RST_STREAM codes as PROTOCOL-HTTP2.md says", () => {
    assert.equal(codeFromRstCode(0x7), Code.UNAVAILABLE);
    assert.equal(codeFromRstCode(0x8), Code.CANCELLED);
    assert.equal(codeFromRstCode(0x2), Code.INTERNAL);
  });

  it("turns socket errors, direct or as a cause, into UNAVAILABLE", () => {
    const refused = Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
    assert.equal(fromUpstreamError(refused, "h:1").code, Code.UNAVAILABLE);
    const wrapped = Object.assign(new Error("pending stream cancelled", { cause: refused }), {
      code: "ERR_HTTP2_STREAM_CANCEL",
    });
    assert.equal(fromUpstreamError(wrapped, "h:1").code, Code.UNAVAILABLE);
    assert.equal(fromUpstreamError(new Error("odd"), "h:1").code, Code.INTERNAL);
    const own = new GatewayError(Code.DEADLINE_EXCEEDED, "late");
    assert.equal(fromUpstreamError(own, "h:1"), own);
  });
});
