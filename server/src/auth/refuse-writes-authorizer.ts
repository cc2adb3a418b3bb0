// startServer()'s default when the embedder passes no authorizer: every write is
// refused as unauthenticated, reads work. `npm start` (main.ts) passes the jose
// verifier (jwt-write-authorizer.ts) instead.
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
