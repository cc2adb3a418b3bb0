import type { ClientReadableStream } from "grpc-web";
import { describe, expect, it } from "vitest";
import { streamIterable } from "./stream-iterable.ts";
import { StatusCode, TeamsError } from "./teams-error.ts";

type Handler = (value?: unknown) => void;

/** Stands in for grpc-web's ClientReadableStream: the test emits its events. */
class FakeCall {
  readonly handlers = new Map<string, Handler>();
  cancelled = false;
  on(event: string, handler: Handler): this {
    this.handlers.set(event, handler);
    return this;
  }
  cancel(): void {
    this.cancelled = true;
  }
  emit(event: "data" | "error" | "end", value?: unknown): void {
    this.handlers.get(event)?.(value);
  }
}

function open(call: FakeCall) {
  return () => call as unknown as ClientReadableStream<string>;
}

async function collect(iterable: AsyncIterable<string>): Promise<string[]> {
  const seen: string[] = [];
  for await (const item of iterable) seen.push(item);
  return seen;
}

describe("streamIterable", () => {
  it("yields every message, in order, until the stream ends", async () => {
    const call = new FakeCall();
    const done = collect(streamIterable(open(call)));
    await Promise.resolve();
    call.emit("data", "a");
    call.emit("data", "b");
    call.emit("end");
    expect(await done).toEqual(["a", "b"]);
  });

  it("throws a TeamsError with the gRPC code and field violations of a failed stream", async () => {
    const call = new FakeCall();
    const done = collect(streamIterable(open(call)));
    await Promise.resolve();
    const rpcError = Object.assign(new Error("prefix: too long"), { code: 3, metadata: {} });
    call.emit("error", rpcError);
    call.emit("end"); // grpc-web may still emit end: the error must win
    await expect(done).rejects.toMatchObject({ code: StatusCode.INVALID_ARGUMENT });
    await expect(done).rejects.toBeInstanceOf(TeamsError);
  });

  it("cancels the call and fails with CANCELLED when the signal aborts", async () => {
    const call = new FakeCall();
    const controller = new AbortController();
    const done = collect(streamIterable(open(call), controller.signal));
    await Promise.resolve();
    call.emit("data", "a");
    controller.abort();
    await expect(done).rejects.toMatchObject({ code: StatusCode.CANCELLED });
    expect(call.cancelled).toBe(true);
  });

  it("cancels the call when the consumer stops reading early", async () => {
    const call = new FakeCall();
    const iterable = streamIterable(open(call));
    const reading = (async () => {
      for await (const item of iterable) return item;
    })();
    await Promise.resolve();
    call.emit("data", "first");
    expect(await reading).toBe("first");
    expect(call.cancelled).toBe(true);
  });

  it("never opens the call when the signal is already aborted", async () => {
    let opened = false;
    const iterable = streamIterable(() => {
      opened = true;
      return new FakeCall() as unknown as ClientReadableStream<string>;
    }, AbortSignal.abort());
    await expect(collect(iterable)).rejects.toMatchObject({ code: StatusCode.CANCELLED });
    expect(opened).toBe(false);
  });
});
