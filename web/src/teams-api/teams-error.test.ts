import { RpcError } from "grpc-web";
import { describe, expect, it } from "vitest";
import { StatusCode, TeamsError } from "./teams-error.ts";

describe("TeamsError.from", () => {
  it("calls a request nothing answered (gateway down) UNAVAILABLE, like a server that is down", () => {
    const noResponse = new RpcError(
      StatusCode.UNKNOWN,
      "Http response at 400 or 500 level, http status code: 0",
      {},
    );
    expect(TeamsError.from(noResponse).code).toBe(StatusCode.UNAVAILABLE);
  });

  it("keeps UNKNOWN for an HTTP error that did answer", () => {
    const answered = new RpcError(
      StatusCode.UNKNOWN,
      "Http response at 400 or 500 level, http status code: 404",
      {},
    );
    expect(TeamsError.from(answered).code).toBe(StatusCode.UNKNOWN);
  });
});
