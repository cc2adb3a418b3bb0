import { describe, expect, it } from "vitest";
import { describeViolation } from "./error-messages.ts";

describe("describeViolation", () => {
  it("puts the field's name in front of the server's rule", () => {
    expect(describeViolation({ field: "city", description: "must not be blank" })).toBe(
      "City must not be blank",
    );
  });

  it("does not repeat a field the description already names", () => {
    expect(describeViolation({ field: "city", description: "city: too long" })).toBe(
      "City: too long",
    );
  });
});
