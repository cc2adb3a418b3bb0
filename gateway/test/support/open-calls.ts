// Many gRPC-Web calls at once, each on its own connection, that a test can abort together
// or finish later, to check one client cannot hurt another.
import http from "node:http";
import { type GrpcWebResult, parseAnswer, requestBody } from "./grpc-web-request.ts";
import { httpAnswer } from "./http-answer.ts";

export interface OpenCall {
  /** Sends the rest of the request body: the call reaches the server only now. */
  finish(): void;
  /** Drops the connection (as a browser tab closing). */
  abort(): void;
  readonly result: Promise<GrpcWebResult>;
}

/** A binary gRPC-Web call whose body is held after its first byte until finish(). */
export function openCall(
  url: string,
  path: string,
  message: Uint8Array,
  headers: Record<string, string> = {},
): OpenCall {
  const body = requestBody([message], false);
  const req = http.request(new URL(path, url), {
    method: "POST",
    agent: false,
    headers: { "content-type": "application/grpc-web+proto", "x-grpc-web": "1", ...headers },
  });
  const result: Promise<GrpcWebResult> = httpAnswer(req).then((answer) =>
    parseAnswer(answer.status, answer.headers, answer.body),
  );
  result.catch(() => {}); // an aborted call's failure is expected
  req.write(body.subarray(0, 1));
  req.flushHeaders();
  return { finish: () => req.end(body.subarray(1)), abort: () => req.destroy(), result };
}
