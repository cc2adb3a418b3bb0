// The official grpc-web runtime (what the page uses), with the generated client,
// calling the real Teams server through the gateway. Node has no XMLHttpRequest,
// so xhr2 stands in; it hands over the body only when complete, so this file
// checks what arrives, and upstream-edge-cases.test.ts checks that it streams.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ListTeamsRequest, TeamRequest, type TeamResponse, TeamsClient } from "@teams/web/gen";
import { google } from "@teams/web/gen/google/rpc/status";
import * as grpcWeb from "grpc-web";
import XMLHttpRequest from "xhr2";
import type { Gateway } from "../src/index.ts";
import {
  command,
  type InteropUpstream,
  payload,
  servicePath,
  startInteropUpstream,
} from "./support/interop-upstream.ts";
import { startTeamsStack, type TeamsStack } from "./support/teams-stack.ts";
import { closeTestGateways, startTestGateway } from "./support/test-gateway.ts";

(globalThis as { XMLHttpRequest?: unknown }).XMLHttpRequest = XMLHttpRequest;

let stack: TeamsStack;
before(async () => {
  stack = await startTeamsStack();
});
after(async () => {
  await stack.close();
});

function getTeam(client: TeamsClient, city: string): Promise<TeamResponse> {
  return new Promise((resolve, reject) => {
    client.GetTeam(new TeamRequest({ city }), null, (error, response) =>
      error ? reject(error) : resolve(response),
    );
  });
}

function listTeams(client: TeamsClient, prefix: string, limit: number): Promise<TeamResponse[]> {
  return new Promise((resolve, reject) => {
    const teams: TeamResponse[] = [];
    const stream = client.ListTeams(new ListTeamsRequest({ prefix, limit }), null);
    stream.on("data", (team) => teams.push(team));
    stream.on("error", reject);
    stream.on("end", () => resolve(teams));
  });
}

for (const format of ["text", "binary"] as const) {
  describe(`grpc-web runtime, ${format} format`, () => {
    const client = () => new TeamsClient(stack.gateway.url, undefined, { format });

    it("looks up Chicago", async () => {
      const team = await getTeam(client(), "Chicago");
      const { version, ...answer } = team.toObject();
      assert.deepEqual(answer, { city: "Chicago", nickname: "Jackals", found: true });
      assert.ok((version ?? 0) > 0, "a found team carries its version");
    });

    it("answers an unknown city with found: false", async () => {
      const team = await getTeam(client(), "Gotham");
      assert.equal(team.found, false);
      assert.equal(team.nickname, "not a member");
    });

    it("reports INVALID_ARGUMENT with google.rpc.Status details for a blank city", async () => {
      const error = await getTeam(client(), "  ").then(
        () => assert.fail("expected an error"),
        (caught: grpcWeb.RpcError) => caught,
      );
      assert.equal(error.code, grpcWeb.StatusCode.INVALID_ARGUMENT);
      assert.match(error.message, /city/);
      const details = error.metadata["grpc-status-details-bin"];
      assert.ok(details, "grpc-status-details-bin reaches the client");
      const status = google.rpc.Status.deserialize(Buffer.from(details, "base64"));
      assert.equal(status.code, 3);
      assert.match(status.details[0]?.type_url ?? "", /google.rpc.BadRequest/);
    });
  });
}

describe("grpc-web runtime, server streaming (text format; the runtime streams only in text)", () => {
  it("receives each team as a message", async () => {
    const client = new TeamsClient(stack.gateway.url, undefined, { format: "text" });
    const teams = await listTeams(client, "", 3);
    assert.equal(teams.length, 3);
    for (const team of teams) assert.equal(team.found, true);
    const all = await listTeams(client, "", 0);
    assert.equal(all.length, 10);
    assert.ok(all.some((team) => team.city === "Chicago"));
  });
});

describe("grpc-web runtime against a grpc-js upstream (interop service)", () => {
  let upstream: InteropUpstream;
  let gateway: Gateway;
  before(async () => {
    upstream = await startInteropUpstream();
    gateway = await startTestGateway(upstream.address);
  });
  after(async () => {
    await closeTestGateways();
    upstream.close();
  });

  const bytes = (value: Uint8Array): Uint8Array => value;
  const unary = new grpcWeb.MethodDescriptor<Uint8Array, Uint8Array>(
    `${servicePath}/UnaryCall`,
    "unary",
    Uint8Array,
    Uint8Array,
    bytes,
    bytes,
  );
  const streaming = new grpcWeb.MethodDescriptor<Uint8Array, Uint8Array>(
    `${servicePath}/StreamingOutputCall`,
    "server_streaming",
    Uint8Array,
    Uint8Array,
    bytes,
    bytes,
  );

  for (const format of ["text", "binary"] as const) {
    it(`decodes a large answer sent in many base64/binary chunks, and metadata both ways (${format})`, async () => {
      const client = new grpcWeb.GrpcWebClientBase({ format });
      const trailing = Buffer.from([0xab, 0xab, 0xab]).toString("base64");
      let initial: grpcWeb.Metadata = {};
      let status: grpcWeb.Status | undefined;
      const response = await new Promise<Uint8Array>((resolve, reject) => {
        const call = client.rpcCall(
          `${gateway.url}${unary.getName()}`,
          command({ responseSize: 314159 }, 271828),
          {
            "x-grpc-test-echo-initial": "initial-value",
            "x-grpc-test-echo-trailing-bin": trailing,
          },
          unary,
          (error, answer) => (error ? reject(error) : resolve(answer)),
        );
        call.on("metadata", (metadata) => {
          initial = metadata;
        });
        call.on("status", (value) => {
          status = value;
        });
      });
      assert.ok(Buffer.from(response).equals(payload(314159)));
      assert.equal(initial["x-grpc-test-echo-initial"], "initial-value");
      assert.equal(status?.code, 0);
      assert.equal(status?.metadata?.["x-grpc-test-echo-trailing-bin"], trailing);
    });

    it(`reports a status code and special message (${format})`, async () => {
      const client = new grpcWeb.GrpcWebClientBase({ format });
      const message = "\t\ntest with whitespace\r\nand Unicode BMP ☺ and non-BMP 😈\t\n";
      const error = await new Promise<grpcWeb.RpcError>((resolve, reject) => {
        client.rpcCall(
          `${gateway.url}${unary.getName()}`,
          command({ status: { code: 2, message } }),
          {},
          unary,
          (caught) => (caught ? resolve(caught) : reject(new Error("expected an error"))),
        );
      });
      assert.equal(error.code, 2);
      assert.equal(error.message, message);
    });
  }

  it("receives interop server streaming in text format, message by message in order", async () => {
    const client = new grpcWeb.GrpcWebClientBase({ format: "text" });
    const sizes = [31415, 9, 2653, 58979];
    const messages = await new Promise<Uint8Array[]>((resolve, reject) => {
      const received: Uint8Array[] = [];
      const stream = client.serverStreaming(
        `${gateway.url}${streaming.getName()}`,
        command({ sizes }),
        {},
        streaming,
      );
      stream.on("data", (message) => received.push(message));
      stream.on("error", reject);
      stream.on("end", () => resolve(received));
    });
    assert.deepEqual(
      messages.map((message) => message.length),
      sizes,
    );
    assert.ok(Buffer.from(messages[3] as Uint8Array).equals(payload(58979, 3)));
  });
});
