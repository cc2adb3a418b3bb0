// The floor: a bare grpc-js server whose GetTeam ignores the request and answers one fixed,
// pre-serialized TeamResponse. No protobuf work, no lookup: what grpc-js itself costs.

import { fromJson, toBinary } from "@bufbuild/protobuf";
import * as grpc from "@grpc/grpc-js";
import { teamsSchema } from "../teams-schema.ts";
import { announceListening } from "./announce.ts";

const fixed = Buffer.from(
  toBinary(
    teamsSchema().teamResponse,
    fromJson(teamsSchema().teamResponse, { city: "Chicago", nickname: "Jackals", found: true }),
  ),
);

const definition: grpc.ServiceDefinition = {
  GetTeam: {
    path: "/Teams/GetTeam",
    requestStream: false,
    responseStream: false,
    requestSerialize: (value: Buffer) => value,
    requestDeserialize: (bytes: Buffer) => bytes,
    responseSerialize: (value: Buffer) => value,
    responseDeserialize: (bytes: Buffer) => bytes,
  },
};

const server = new grpc.Server();
server.addService(definition, {
  GetTeam: (_call: unknown, callback: grpc.sendUnaryData<Buffer>) => callback(null, fixed),
});
server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, port) => {
  if (err) throw err;
  announceListening(port, () => new Promise<void>((done) => server.tryShutdown(() => done())));
});
