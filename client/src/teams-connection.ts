// One channel to the server and the per-call pieces every command needs: the
// generated grpc-js client, the token as call metadata, and promises for unary calls.
import { type CallOptions, credentials, Metadata, type ServiceError } from "@grpc/grpc-js";
import { TeamsClient } from "@teams/server/gen/teams";

/** Unary calls give up after this long (streams run until they end). */
export const unaryDeadlineMs = 10_000;

export type Connection = {
  client: TeamsClient;
  /** `authorization: Bearer <token>` when a token was given, else empty. */
  metadata(): Metadata;
  unaryOptions(): CallOptions;
  close(): void;
};

/** Plaintext, as the server and `npm start` listen; put TLS in front with Envoy. */
export function connect(address: string, token: string | undefined): Connection {
  const client = new TeamsClient(address, credentials.createInsecure());
  return {
    client,
    metadata() {
      const metadata = new Metadata();
      if (token) metadata.set("authorization", `Bearer ${token}`);
      return metadata;
    },
    unaryOptions: () => ({ deadline: Date.now() + unaryDeadlineMs }),
    close: () => client.close(),
  };
}

type UnaryMethod<Request, Response> = (
  request: Request,
  metadata: Metadata,
  options: CallOptions,
  callback: (error: ServiceError | null, response?: Response) => void,
) => unknown;

/** A unary call as a promise. */
export function unary<Request, Response>(
  connection: Connection,
  method: UnaryMethod<Request, Response>,
  request: Request,
): Promise<Response> {
  return new Promise((resolve, reject) => {
    method.call(
      connection.client,
      request,
      connection.metadata(),
      connection.unaryOptions(),
      (error, response) => {
        if (error) reject(error);
        else resolve(response as Response);
      },
    );
  });
}
