import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  parseRequestFormat,
  responseContentType,
  upstreamContentType,
  wantsTextResponse,
} from "../../src/content-type.ts";

describe("parseRequestFormat", () => {
  it("accepts the four gRPC-Web content types, ignoring case and parameters", () => {
    assert.deepEqual(parseRequestFormat("application/grpc-web"), { text: false });
    assert.deepEqual(parseRequestFormat("application/grpc-web+proto"), { text: false });
    assert.deepEqual(parseRequestFormat("application/grpc-web-text"), { text: true });
    assert.deepEqual(parseRequestFormat("Application/GRPC-Web-Text+proto; charset=utf-8"), {
      text: true,
    });
  });

  it("rejects everything else", () => {
    for (const value of [
      undefined,
      "",
      "application/grpc",
      "application/grpc-web+json",
      "text/plain",
    ]) {
      assert.equal(parseRequestFormat(value), undefined, String(value));
    }
  });
});

describe("answer format", () => {
  it("answers text only when Accept asks for it, spelled as Envoy does", () => {
    assert.equal(wantsTextResponse("application/grpc-web-text"), true);
    assert.equal(wantsTextResponse("*/*, application/grpc-web-text+proto;q=1"), true);
    assert.equal(wantsTextResponse("application/grpc-web"), false);
    assert.equal(wantsTextResponse(undefined), false);
    assert.equal(responseContentType(true), "application/grpc-web-text+proto");
    assert.equal(responseContentType(false), "application/grpc-web+proto");
  });

  it("keeps +proto on the way upstream", () => {
    assert.equal(upstreamContentType("application/grpc-web-text+proto"), "application/grpc+proto");
    assert.equal(upstreamContentType("application/grpc-web"), "application/grpc");
  });
});
