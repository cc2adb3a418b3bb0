// What a smaller per-stream window costs a single fast reader: one browser's ListTeams of the
// long-named teams (~5 MB) through gateways with each window, interleaved, one at a time.
import type { TestCertificates } from "@teams/tools/throwaway-ca";
import { connectBrowser, timedCall } from "../load/h2-grpc-web.ts";
import type { WindowCost } from "../results.ts";
import { encodeListTeamsRequest } from "../teams-schema.ts";
import { startTlsGateway } from "../tls-gateway.ts";

export async function fastReaderByWindow(
  serverPort: number,
  certs: TestCertificates,
  windows: readonly number[],
  repeats: number,
  prefix: string,
  teams: number,
): Promise<WindowCost[]> {
  const costs: WindowCost[] = windows.map((windowBytes) => ({ windowBytes, teams, ms: [] }));
  const request = encodeListTeamsRequest(prefix, 0);
  for (let rep = 0; rep < repeats; rep++) {
    for (const cost of costs) {
      const gateway = await startTlsGateway(serverPort, certs, cost.windowBytes);
      try {
        const session = await connectBrowser(gateway.url, { ca: certs.caCert });
        try {
          await timedCall(session, "/Teams/ListTeams", request); // warm
          const call = await timedCall(session, "/Teams/ListTeams", request);
          if (call.grpcStatus !== "0" || call.messages !== teams) {
            throw new Error(
              `ListTeams at window ${cost.windowBytes}: grpc-status ${call.grpcStatus}, ${call.messages} of ${teams} teams`,
            );
          }
          cost.ms.push(call.ms);
        } finally {
          session.destroy();
        }
      } finally {
        await gateway.listener.stop();
      }
    }
  }
  return costs;
}
