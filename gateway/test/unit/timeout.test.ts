import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  clampDeadline,
  formatGrpcTimeout,
  longestDeadlineMs,
  longestGrpcTimeout,
  parseGrpcTimeout,
} from "../../src/timeout.ts";

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

  it("clamps deadlines past what a timer holds to the longest one, never shortening others", () => {
    assert.equal(parseGrpcTimeout(longestGrpcTimeout), longestDeadlineMs);
    assert.ok(longestDeadlineMs < 2 ** 31);
    for (const value of ["600H", "3000H", "2147484S", "99999999M", "99999999H"]) {
      assert.equal(clampDeadline(parseGrpcTimeout(value)), longestDeadlineMs, value);
    }
    for (const value of ["5S", "99999999m", "2147483S", "1n"]) {
      assert.equal(clampDeadline(parseGrpcTimeout(value)), parseGrpcTimeout(value), value);
    }
  });
});
