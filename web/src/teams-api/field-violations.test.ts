import { describe, expect, it } from "vitest";
import { google as details } from "../gen/google/rpc/error_details.ts";
import { encodeStatusDetails } from "../test/status-details.ts";
import { fieldViolationsFrom, statusDetailsKey } from "./field-violations.ts";

function statusDetails(...violations: Array<{ field: string; description: string }>): string {
  const badRequest = new details.rpc.BadRequest({
    field_violations: violations.map((v) => new details.rpc.BadRequest.FieldViolation(v)),
  });
  return encodeStatusDetails({ type: "google.rpc.BadRequest", message: badRequest });
}

describe("fieldViolationsFrom", () => {
  it("decodes google.rpc.BadRequest from grpc-status-details-bin", () => {
    const encoded = statusDetails({ field: "city", description: "must not be blank" });
    expect(fieldViolationsFrom({ [statusDetailsKey]: encoded })).toEqual([
      { field: "city", description: "must not be blank" },
    ]);
  });

  it("accepts unpadded base64, as gRPC allows", () => {
    const encoded = statusDetails({ field: "prefix", description: "too long" }).replace(/=+$/, "");
    expect(fieldViolationsFrom({ [statusDetailsKey]: encoded })).toEqual([
      { field: "prefix", description: "too long" },
    ]);
  });

  it("gives no violations when the details are absent or malformed", () => {
    expect(fieldViolationsFrom(undefined)).toEqual([]);
    expect(fieldViolationsFrom({})).toEqual([]);
    expect(fieldViolationsFrom({ [statusDetailsKey]: "%%%not base64" })).toEqual([]);
  });
});
