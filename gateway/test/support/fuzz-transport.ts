// How the fuzz test sends a case to the gateway at 127.0.0.1:port: over node:http (body
// written in pieces) or as raw bytes on a socket. Each fails after caseTimeoutMs without a
// complete answer: the oracle's first rule.
import http from "node:http";
import net from "node:net";
import { type HttpAnswer, httpAnswer } from "./http-answer.ts";

export const caseTimeoutMs = 10_000;

export type { HttpAnswer };

export function send(
  port: number,
  method: string,
  path: string,
  headers: Record<string, string>,
  pieces: Buffer[],
) {
  const req = http.request({
    host: "127.0.0.1",
    port,
    method,
    path,
    headers: Object.fromEntries(Object.entries(headers).filter(([, value]) => value !== "")),
    agent: false,
    timeout: caseTimeoutMs,
  });
  req.on("timeout", () => req.destroy(new Error(`no complete answer in ${caseTimeoutMs} ms`)));
  const answer = httpAnswer(req);
  for (const piece of pieces) req.write(piece);
  req.end();
  return answer;
}

export function sendRaw(port: number, bytes: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1");
    let received = "";
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`connection still open after ${caseTimeoutMs} ms`));
    }, caseTimeoutMs);
    socket.on("error", () => {}); // a reset after the answer is fine; the answer is what counts
    socket.on("data", (chunk: Buffer) => {
      received += chunk.toString("latin1");
    });
    socket.on("close", () => {
      clearTimeout(timer);
      resolve(received);
    });
    socket.write(bytes);
  });
}
