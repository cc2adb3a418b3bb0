import { RpcError } from "grpc-web";
import { describe, expect, it } from "vitest";
import { google as details } from "../gen/google/rpc/error_details.ts";
import { encodeStatusDetails } from "../test/status-details.ts";
import { withErrorDetails } from "./error-details.ts";
import { StatusCode } from "./teams-error.ts";

describe("withErrorDetails", () => {
  it("decodes the BadRequest and ErrorInfo of a failed call's trailers", async () => {
    const encoded = encodeStatusDetails(
      {
        type: "google.rpc.BadRequest",
        message: new details.rpc.BadRequest({
          field_violations: [
            new details.rpc.BadRequest.FieldViolation({ field: "nickname", description: "blank" }),
          ],
        }),
      },
      {
        type: "google.rpc.ErrorInfo",
        message: details.rpc.ErrorInfo.fromObject({
          reason: "VERSION_MISMATCH",
          metadata: { current_version: "42" },
        }),
      },
    );
    const error = await withErrorDetails(
      new RpcError(StatusCode.ABORTED, "changed", { "grpc-status-details-bin": encoded }),
    );
    expect(error.code).toBe(StatusCode.ABORTED);
    expect(error.fieldViolations).toEqual([{ field: "nickname", description: "blank" }]);
    expect(error.errorInfo).toEqual({
      reason: "VERSION_MISMATCH",
      metadata: { current_version: "42" },
    });
  });

  it("leaves an error without details as it is", async () => {
    const error = await withErrorDetails(new RpcError(StatusCode.NOT_FOUND, "gone", {}));
    expect(error.fieldViolations).toEqual([]);
    expect(error.errorInfo).toBeNull();
  });
});
