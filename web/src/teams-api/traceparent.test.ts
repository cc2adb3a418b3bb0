import { describe, expect, it } from "vitest";
import { newTraceparent } from "./traceparent.ts";

describe("newTraceparent", () => {
  it("is a W3C traceparent: version 00, 32 hex trace id, 16 hex parent id, sampled", () => {
    expect(newTraceparent()).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  });

  it("has a fresh trace id each call", () => {
    const ids = new Set(Array.from({ length: 50 }, () => newTraceparent().split("-")[1]));
    expect(ids.size).toBe(50);
  });

  it("never sends the invalid all-zero id", () => {
    let calls = 0;
    const zeroesFirst = (bytes: Uint8Array): void => {
      bytes.fill(calls++ === 0 ? 0 : 7);
    };
    expect(newTraceparent(zeroesFirst)).toBe(`00-${"07".repeat(16)}-${"07".repeat(8)}-01`);
  });
});
