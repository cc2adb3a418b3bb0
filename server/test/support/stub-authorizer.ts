// A TEST DOUBLE of the WriteAuthorizer boundary: accepts exactly one fixed
// token, so the handlers' use of it is tested without keys (the real jose
// verifier has its own tests with real tokens).
import { Metadata, type ServiceError, status } from "@grpc/grpc-js";
import type { WriteAuthorizer, WriteCaller } from "../../src/auth/write-authorizer.ts";

export const testToken = "test-writer-token";
export const testSubject = "test-writer";

export const stubAuthorizer: WriteAuthorizer = {
  async authorize(metadata: Metadata): Promise<WriteCaller> {
    const [header] = metadata.get("authorization");
    if (header === `Bearer ${testToken}`) return { subject: testSubject };
    const error: Partial<ServiceError> = {
      code: status.UNAUTHENTICATED,
      details: header ? "the token is not valid" : "authorization: a Bearer token is required",
      metadata: new Metadata(),
    };
    throw error;
  },
};

/** Call metadata carrying the accepted token. */
export function writerMetadata(): Metadata {
  const metadata = new Metadata();
  metadata.set("authorization", `Bearer ${testToken}`);
  return metadata;
}
