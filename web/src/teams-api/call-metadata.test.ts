import { describe, expect, it } from "vitest";
import { callMetadata } from "./call-metadata.ts";

describe("callMetadata", () => {
  it("gives a read a deadline and a traceparent, and no authorization", () => {
    const metadata = callMetadata(5_000);
    expect(Object.keys(metadata).sort()).toEqual(["deadline", "traceparent"]);
  });

  it("gives a write the token as a bearer authorization", () => {
    expect(callMetadata(5_000, "abc.def.ghi").authorization).toBe("Bearer abc.def.ghi");
  });
});
