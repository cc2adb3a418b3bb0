import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import {
  type Client,
  type ClientDuplexStream,
  credentials,
  loadPackageDefinition,
} from "@grpc/grpc-js";
import { loadSync } from "@grpc/proto-loader";
import descriptor from "protobufjs/ext/descriptor/index.js";

const require = createRequire(import.meta.url);
const protoDir = join(dirname(require.resolve("@grpc/reflection")), "../proto");

export type ReflectionVersion = "v1" | "v1alpha";

/** What a reflection answer carries, in proto-loader's camelCase. */
export type ReflectionResponse = {
  listServicesResponse?: { service: { name: string }[] };
  fileDescriptorResponse?: { fileDescriptorProto: Buffer[] };
  errorResponse?: { errorCode: number; errorMessage: string };
};

/** The parts of a decoded FileDescriptorProto the tests look at. */
export type DecodedFile = {
  name: string;
  package?: string;
  messageType: { name: string }[];
  service: { name: string; method: { name: string; inputType: string; outputType: string }[] }[];
};

/** A real reflection client, as grpcurl would use it: one ServerReflectionInfo stream per question. */
export function reflectionClient(port: number, version: ReflectionVersion) {
  const definition = loadSync(`grpc/reflection/${version}/reflection.proto`, {
    includeDirs: [protoDir],
  });
  const pkg = loadPackageDefinition(definition) as unknown as {
    grpc: {
      reflection: Record<
        ReflectionVersion,
        { ServerReflection: new (...args: unknown[]) => Client }
      >;
    };
  };
  const Service = pkg.grpc.reflection[version].ServerReflection;
  const client = new Service(`127.0.0.1:${port}`, credentials.createInsecure()) as Client & {
    ServerReflectionInfo(): ClientDuplexStream<Record<string, string>, ReflectionResponse>;
  };

  const ask = (request: Record<string, string>): Promise<ReflectionResponse> =>
    new Promise((resolve, reject) => {
      const call = client.ServerReflectionInfo();
      call.on("data", (response: ReflectionResponse) => {
        resolve(response);
        call.end();
      });
      call.on("error", reject);
      call.write({ host: "", ...request });
    });

  return {
    ask,
    async listServices(): Promise<string[]> {
      const response = await ask({ listServices: "*" });
      return (response.listServicesResponse?.service ?? []).map((service) => service.name).sort();
    },
    async fileContainingSymbol(symbol: string): Promise<DecodedFile[]> {
      const response = await ask({ fileContainingSymbol: symbol });
      if (response.errorResponse) throw new Error(response.errorResponse.errorMessage);
      return (response.fileDescriptorResponse?.fileDescriptorProto ?? []).map(decodeFile);
    },
    close: () => client.close(),
  };
}

function decodeFile(bytes: Buffer): DecodedFile {
  const { FileDescriptorProto } = descriptor as unknown as {
    FileDescriptorProto: {
      decode(bytes: Uint8Array): unknown;
      toObject(message: unknown): DecodedFile;
    };
  };
  return FileDescriptorProto.toObject(FileDescriptorProto.decode(bytes));
}
