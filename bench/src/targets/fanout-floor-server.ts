// The fan-out floor: a bare grpc-js server whose server-streaming /Floor/Watch holds every call
// open and whose unary /Floor/Write writes one fixed, pre-serialized TeamEvent to every open
// call. No feed, no queue, no protobuf work: what grpc-js and node:http2 cost per message per
// stream, beside which `npm run bench:fanout-floor -w bench` puts our server's WatchTeams.
import * as grpc from "@grpc/grpc-js";
import { TeamEvent, TeamResponse } from "@teams/server/gen/teams";
import { announceListening } from "./announce.ts";

/** A live change as our server sends it (city, nickname, found, versions). */
const fixed = Buffer.from(
  new TeamEvent({
    version: 123_456,
    put: new TeamResponse({
      city: "Floor 1234",
      nickname: "Floor",
      found: true,
      version: 123_456,
    }),
  }).serializeBinary(),
);

const identity = (bytes: Buffer) => bytes;
const method = (path: string, responseStream: boolean) => ({
  path,
  requestStream: false,
  responseStream,
  requestSerialize: identity,
  requestDeserialize: identity,
  responseSerialize: identity,
  responseDeserialize: identity,
});

const open = new Set<grpc.ServerWritableStream<Buffer, Buffer>>();
const server = new grpc.Server();
server.addService(
  { Watch: method("/Floor/Watch", true), Write: method("/Floor/Write", false) },
  {
    // The first message says the stream is open (as our snapshot_complete does).
    Watch: (call: grpc.ServerWritableStream<Buffer, Buffer>) => {
      open.add(call);
      call.write(fixed);
      call.on("cancelled", () => open.delete(call));
    },
    Write: (_call: unknown, callback: grpc.sendUnaryData<Buffer>) => {
      for (const call of open) call.write(fixed);
      callback(null, Buffer.alloc(0));
    },
  },
);
server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, port) => {
  if (err) throw err;
  announceListening(port, () => {
    for (const call of open) call.end();
    return new Promise<void>((done) => server.tryShutdown(() => done()));
  });
});
