import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatGrpcTimeout, isEnforceable, parseGrpcTimeout } from "../../src/timeout.ts";

describe("parseGrpcTimeout", () => {
  it("reads every unit, rounding up to whole milliseconds", () => {
    assert.equal(parseGrpcTimeout("2H"), 7_200_000);
    assert.equal(parseGrpcTimeout("3M"), 180_000);
    assert.equal(parseGrpcTimeout("5S"), 5000);
    assert.equal(parseGrpcTimeout("250m"), 250);
    assert.equal(parseGrpcTimeout("1500u"), 2);
    assert.equal(parseGrpcTimeout("1n"), 1);
  });

  it("refuses values that are not 1 to 8 digits and a unit", () => {
    for (const value of ["", "10", "123456789S", "1s", "-1S", "1.5S"]) {
      assert.throws(() => parseGrpcTimeout(value), /grpc-timeout: expected/, value);
    }
  });

  it("round-trips with formatGrpcTimeout", () => {
    for (const ms of [1, 999, 60_000, 99_999_999, 200_000_000]) {
      assert.ok(parseGrpcTimeout(formatGrpcTimeout(ms)) >= ms);
    }
  });

  it("leaves deadlines past the timer limit to the upstream", () => {
    assert.equal(isEnforceable(parseGrpcTimeout("99999999H")), false);
    assert.equal(isEnforceable(parseGrpcTimeout("5S")), true);
  });
});
