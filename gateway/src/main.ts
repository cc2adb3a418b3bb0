// `npm run gateway`: the gateway alone, in front of any gRPC server (see README config table).
import { gatewayOptionsFromEnv } from "./config";
import { startGateway } from "./gateway";

let options: ReturnType<typeof gatewayOptionsFromEnv>;
try {
  options = gatewayOptionsFromEnv();
} catch (error) {
  console.error(`gateway: ${(error as Error).message}`);
  process.exit(2);
}

try {
  const gateway = await startGateway(options);
  const stop = async (): Promise<void> => {
    await gateway.close();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
} catch (error) {
  const err = error as NodeJS.ErrnoException;
  console.error(
    err.code === "EADDRINUSE"
      ? `gateway: port ${options.port} is taken (PORT); stop what uses it or set PORT to another port`
      : `gateway: ${err.message}`,
  );
  process.exit(1);
}
