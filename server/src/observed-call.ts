// A grpc-js server call that forwards every event unchanged and lets a subclass watch them:
// what the call log and the metrics need from an interceptor. grpc-js's own
// ServerInterceptingCall allocates a responder, a listener, an intercepting listener and a
// closure per event for every call; this is one object per call whose methods live on the
// prototype, so watching a call costs next to nothing on the unary hot path.
import {
  type Metadata,
  type ServerInterceptingCall,
  type ServerInterceptingCallInterface,
  type ServerInterceptor,
  type ServerMethodDefinition,
  status,
} from "@grpc/grpc-js";

type Listener = Parameters<ServerInterceptingCallInterface["start"]>[0];
type Outcome = Parameters<ServerInterceptingCallInterface["sendStatus"]>[0];

/** A cancel after the deadline is the deadline's doing (grpc-js has already answered 4). */
export function cancelCode(call: Pick<ServerInterceptingCallInterface, "getDeadline">): status {
  const deadline = call.getDeadline();
  const at = deadline instanceof Date ? deadline.getTime() : deadline;
  return Number.isFinite(at) && Date.now() >= at ? status.DEADLINE_EXCEEDED : status.CANCELLED;
}

/**
 * An interceptor that wraps each call in the ObservedCall `observe` makes. grpc-js only needs
 * the interface of what an interceptor returns (getServerInterceptingCall is typed so), but
 * ServerInterceptor's typing names the class: the one cast for that is here.
 */
export function observingInterceptor(
  observe: (
    method: ServerMethodDefinition<unknown, unknown>,
    call: ServerInterceptingCallInterface,
  ) => ObservedCall,
): ServerInterceptor {
  return (method, call) => observe(method, call) as unknown as ServerInterceptingCall;
}

/**
 * Forwards the call both ways, as an interceptor that changes nothing; subclasses override
 * the hooks they need. `ended` is called exactly once: with the status sent, or with the
 * code of the cancel (CANCELLED, DEADLINE_EXCEEDED) when the call ends without one.
 */
export abstract class ObservedCall implements ServerInterceptingCallInterface, Listener {
  readonly #next: ServerInterceptingCallInterface;
  #listener: Listener | undefined;
  #cancelled = false;
  #ended = false;

  constructor(next: ServerInterceptingCallInterface) {
    this.#next = next;
  }

  protected receivedMetadata(_metadata: Metadata): void {}
  protected receivedMessage(_message: unknown): void {}
  protected sentMessage(_message: unknown): void {}
  protected abstract ended(code: status): void;

  #end(code: status): void {
    if (this.#ended) return;
    this.#ended = true;
    this.ended(code);
  }

  // The listener side: events from the client, on their way to the handler.
  start(listener: Listener): void {
    this.#listener = listener;
    this.#next.start(this);
  }
  onReceiveMetadata(metadata: Metadata): void {
    if (this.#cancelled) return;
    this.receivedMetadata(metadata);
    this.#listener?.onReceiveMetadata(metadata);
  }
  onReceiveMessage(message: unknown): void {
    if (this.#cancelled) return;
    this.receivedMessage(message);
    this.#listener?.onReceiveMessage(message);
  }
  onReceiveHalfClose(): void {
    if (this.#cancelled) return;
    this.#listener?.onReceiveHalfClose();
  }
  onCancel(): void {
    this.#cancelled = true;
    this.#end(cancelCode(this.#next));
    this.#listener?.onCancel();
  }

  // The call side: what the handler sends, on its way to the client.
  sendMetadata(metadata: Metadata): void {
    this.#next.sendMetadata(metadata);
  }
  sendMessage(message: unknown, callback: () => void): void {
    this.sentMessage(message);
    this.#next.sendMessage(message, callback);
  }
  sendStatus(outcome: Outcome): void {
    this.#end(outcome.code ?? status.UNKNOWN);
    this.#next.sendStatus(outcome);
  }
  startRead(): void {
    this.#next.startRead();
  }
  getPeer(): string {
    return this.#next.getPeer();
  }
  getDeadline(): ReturnType<ServerInterceptingCallInterface["getDeadline"]> {
    return this.#next.getDeadline();
  }
  getHost(): string {
    return this.#next.getHost();
  }
  getAuthContext(): ReturnType<ServerInterceptingCallInterface["getAuthContext"]> {
    return this.#next.getAuthContext();
  }
  getConnectionInfo(): ReturnType<ServerInterceptingCallInterface["getConnectionInfo"]> {
    return this.#next.getConnectionInfo();
  }
  getMetricsRecorder(): ReturnType<ServerInterceptingCallInterface["getMetricsRecorder"]> {
    return this.#next.getMetricsRecorder();
  }
}
