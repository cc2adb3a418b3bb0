// A plain HTTP/1.1 request whose answer is read as text: for the answers a person or
// a browser reads (pages, 4xx errors), not gRPC-Web frames.
import http from "node:http";

export interface TextAnswer {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

export interface TextRequest {
  readonly method?: string;
  /** Sent as written, so "../" reaches the server unnormalised. */
  readonly path: string;
  readonly headers?: Record<string, string>;
}

/** Sends `request` to the gateway at `baseUrl` with no body and reads the whole answer. */
export function httpTextRequest(baseUrl: string, request: TextRequest): Promise<TextAnswer> {
  const { port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: "127.0.0.1",
      port,
      path: request.path,
      method: request.method ?? "GET",
      headers: request.headers,
    });
    req.on("response", (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        body += chunk;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end();
  });
}
