// Random and mutated requests for the gateway fuzz test (fuzz.test.ts), as fast-check
// arbitraries: gRPC-Web calls (fuzz-grpc-case.ts), page requests and raw bytes
// (fuzz-http-case.ts). The oracle for OK answers is fuzz-call-oracle.ts.
import fc from "fast-check";
import { type GrpcCase, grpcCase } from "./fuzz-grpc-case.ts";
import { type HttpCase, httpCase, type RawCase, rawCase } from "./fuzz-http-case.ts";

export type FuzzCase = GrpcCase | HttpCase | RawCase;

export const fuzzCase: fc.Arbitrary<FuzzCase> = fc.oneof(
  { arbitrary: grpcCase, weight: 6 },
  { arbitrary: httpCase, weight: 3 },
  { arbitrary: rawCase, weight: 1 },
);
