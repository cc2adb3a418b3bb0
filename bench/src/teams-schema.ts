// The Teams contract as @bufbuild/protobuf (v2) runtime descriptors, built from proto/ at bench
// time with `buf build` (the repo's own buf), so the bench keeps no generated code in git and
// can never drift from the contract.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  createFileRegistry,
  type DescMessage,
  type DescService,
  fromBinary,
  fromJson,
  toBinary,
} from "@bufbuild/protobuf";
import { FileDescriptorSetSchema } from "@bufbuild/protobuf/wkt";
import { binPath, repoRoot } from "./paths.ts";

/** The service and its messages, resolved by name from proto/teams.proto. */
export interface TeamsSchema {
  service: DescService;
  teamRequest: DescMessage;
  teamResponse: DescMessage;
  listTeamsRequest: DescMessage;
}

let cached: TeamsSchema | undefined;

/** Builds (once per process) the descriptors of proto/teams.proto. */
export function teamsSchema(): TeamsSchema {
  if (cached) return cached;
  const dir = mkdtempSync(join(tmpdir(), "teams-schema-"));
  try {
    const image = join(dir, "teams.binpb");
    // A buf image is wire-compatible with google.protobuf.FileDescriptorSet.
    execFileSync(binPath("buf"), ["build", "proto", "-o", image], { cwd: repoRoot });
    const registry = createFileRegistry(fromBinary(FileDescriptorSetSchema, readFileSync(image)));
    const message = (name: string): DescMessage => {
      const desc = registry.getMessage(name);
      if (!desc) throw new Error(`proto/teams.proto: message ${name} is missing`);
      return desc;
    };
    const service = registry.getService("Teams");
    if (!service) throw new Error("proto/teams.proto: service Teams is missing");
    cached = {
      service,
      teamRequest: message("TeamRequest"),
      teamResponse: message("TeamResponse"),
      listTeamsRequest: message("ListTeamsRequest"),
    };
    return cached;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Serializes a TeamRequest. */
export function encodeTeamRequest(city: string): Uint8Array {
  const { teamRequest } = teamsSchema();
  return toBinary(teamRequest, fromJson(teamRequest, { city }));
}

/** Serializes a ListTeamsRequest. */
export function encodeListTeamsRequest(prefix: string, limit: number): Uint8Array {
  const { listTeamsRequest } = teamsSchema();
  return toBinary(listTeamsRequest, fromJson(listTeamsRequest, { prefix, limit }));
}

/** Reads a TeamResponse into a plain object (found is absent when false, as in proto3 JSON). */
export function decodeTeamResponse(bytes: Uint8Array): {
  city: string;
  nickname: string;
  found: boolean;
} {
  const { teamResponse } = teamsSchema();
  const msg = fromBinary(teamResponse, bytes) as unknown as Record<string, unknown>;
  return {
    city: String(msg.city ?? ""),
    nickname: String(msg.nickname ?? ""),
    found: msg.found === true,
  };
}
