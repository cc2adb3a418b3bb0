// A grpc-js server playing grpc.testing.TestService for the interop cases. The
// gateway never decodes messages, so requests carry JSON commands and answers are
// plain bytes, with identity (de)serializers: what matters is the framing, the
// metadata and the status on the wire, which are grpc-js's own.
import * as grpc from "@grpc/grpc-js";

export const servicePath = "/grpc.testing.TestService";

export interface UnaryCommand {
  readonly responseSize?: number;
  readonly status?: { readonly code: number; readonly message: string };
}

export interface StreamCommand {
  readonly sizes: readonly number[];
  /** Pause between messages, to watch them arrive one by one or to cancel midway. */
  readonly intervalMs?: number;
}

export interface InteropUpstream {
  readonly address: string;
  /** Server-side cancellations seen (browser gone, deadline, gateway cancel). */
  cancelled(): number;
  close(): void;
}

const identity = (bytes: Buffer): Buffer => bytes;

function method(name: string, responseStream: boolean): grpc.MethodDefinition<Buffer, Buffer> {
  return {
    path: `${servicePath}/${name}`,
    requestStream: false,
    responseStream,
    requestSerialize: identity,
    requestDeserialize: identity,
    responseSerialize: identity,
    responseDeserialize: identity,
  };
}

const definition = {
  EmptyCall: method("EmptyCall", false),
  UnaryCall: method("UnaryCall", false),
  StreamingOutputCall: method("StreamingOutputCall", true),
};

/** Deterministic payload bytes, so a test can check every byte arrived in order. */
export function payload(size: number, seed = 0): Buffer {
  const bytes = Buffer.allocUnsafe(size);
  for (let index = 0; index < size; index += 1) bytes[index] = (index + seed) % 251;
  return bytes;
}

/** A JSON command padded to `size` bytes (the interop large request is 271828 bytes). */
export function command(body: object, size = 0): Buffer {
  const json = JSON.stringify(body);
  return Buffer.from(json.padEnd(Math.max(size, json.length), " "));
}

function parse<T>(request: Buffer): T {
  return (request.length === 0 ? {} : JSON.parse(request.toString())) as T;
}

// The interop echo headers: initial metadata back as headers, trailing as trailers.
function echoes(call: { metadata: grpc.Metadata }): {
  initial: grpc.Metadata;
  trailing: grpc.Metadata;
} {
  const initial = new grpc.Metadata();
  const trailing = new grpc.Metadata();
  for (const value of call.metadata.get("x-grpc-test-echo-initial")) {
    initial.add("x-grpc-test-echo-initial", value);
  }
  for (const value of call.metadata.get("x-grpc-test-echo-trailing-bin")) {
    trailing.add("x-grpc-test-echo-trailing-bin", value);
  }
  return { initial, trailing };
}

export async function startInteropUpstream(): Promise<InteropUpstream> {
  let cancelled = 0;
  const server = new grpc.Server();
  server.addService(definition, {
    EmptyCall(_call: grpc.ServerUnaryCall<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>) {
      callback(null, Buffer.alloc(0));
    },
    UnaryCall(call: grpc.ServerUnaryCall<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>) {
      const request = parse<UnaryCommand>(call.request);
      const { initial, trailing } = echoes(call);
      call.sendMetadata(initial);
      if (request.status) {
        callback({
          code: request.status.code,
          details: request.status.message,
          metadata: trailing,
        });
        return;
      }
      callback(null, payload(request.responseSize ?? 0), trailing);
    },
    StreamingOutputCall(call: grpc.ServerWritableStream<Buffer, Buffer>) {
      const request = parse<StreamCommand>(call.request);
      const { initial, trailing } = echoes(call);
      call.sendMetadata(initial);
      let stopped = false;
      call.on("cancelled", () => {
        stopped = true;
        cancelled += 1;
      });
      const send = async (): Promise<void> => {
        for (const [index, size] of request.sizes.entries()) {
          if (stopped) return;
          if (request.intervalMs)
            await new Promise((resolve) => setTimeout(resolve, request.intervalMs));
          if (stopped) return;
          call.write(payload(size, index));
        }
        call.end(trailing);
      };
      void send();
    },
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  return {
    address: `127.0.0.1:${port}`,
    cancelled: () => cancelled,
    close: () => server.forceShutdown(),
  };
}
