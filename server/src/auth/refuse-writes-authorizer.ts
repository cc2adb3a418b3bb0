// STOPGAP until the jose token verifier lands: with no verifier configured,
// every write is refused as unauthenticated, and reads work as before.
import { Metadata, type ServiceError, status } from "@grpc/grpc-js";
import type { WriteAuthorizer, WriteCaller } from "./write-authorizer.ts";

export const refuseWrites: WriteAuthorizer = {
  async authorize(): Promise<WriteCaller> {
    const error: Partial<ServiceError> = {
      code: status.UNAUTHENTICATED,
      details: "writes are disabled: this server has no token verifier configured",
      metadata: new Metadata(),
    };
    throw error;
  },
};
