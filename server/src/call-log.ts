// One log line per call, written by a grpc-js server interceptor (grpc-js 1.10+), so every
// service is covered the same way (Teams, health, reflection) and no handler times itself:
// `{"level":"info","msg":"call","method":"/Teams/GetTeam","code":"OK","durationMs":0.4,
//   "peer":"ipv4:127.0.0.1:51234","userAgent":"grpc-node-js/1.14.7","city":"Chicago"}`.
import type {
  Metadata,
  ServerInterceptingCallInterface,
  ServerInterceptor,
  ServerMethodDefinition,
} from "@grpc/grpc-js";
import { status } from "@grpc/grpc-js";
import type { LogFields, Logger } from "./logger.ts";
import { ObservedCall, observingInterceptor } from "./observed-call.ts";

export { cancelCode } from "./observed-call.ts";

/** Codes a client causes (bad input, hanging up): worth a warning, not an alert. */
const clientCodes = new Set<status>([
  status.CANCELLED,
  status.INVALID_ARGUMENT,
  status.NOT_FOUND,
  status.DEADLINE_EXCEEDED,
  status.FAILED_PRECONDITION,
  status.OUT_OF_RANGE,
  status.ALREADY_EXISTS,
  status.ABORTED,
]);

/** Request fields longer than this are cut in the log line. */
const maxFieldChars = 100;

/**
 * Adds fields to every call line (for example `trace_id` from the observability work);
 * called once per logged call with the request metadata, after the built-in fields are known.
 */
export type CallLogFields = (metadata: Metadata) => LogFields;

export type CallLogOptions = {
  /** Extra fields per call; their keys win over the request's but not the built-in ones. */
  extraFields?: CallLogFields;
};

/** Whether `logger` writes any call line: a failed call logs at error, the most severe. */
export function logsCalls(logger: Logger): boolean {
  return logger.isEnabled("error");
}

/**
 * The interceptor to pass to `new Server({ interceptors: [callLogInterceptor(logger)] })`.
 * Leave it out when `logsCalls(logger)` is false: it would only do work to write nothing.
 */
export function callLogInterceptor(
  logger: Logger,
  options: CallLogOptions = {},
): ServerInterceptor {
  return observingInterceptor((method, call) => new LoggedCall(call, logger, options, method));
}

/**
 * One call being logged. The metadata and request are kept as they came and only turned
 * into fields if the line is written, so a call whose line the level drops (an OK call
 * at level warn) costs a timestamp and the peer.
 */
class LoggedCall extends ObservedCall {
  readonly #started = performance.now();
  // Read now: once a client has hung up, grpc-js only knows the peer as "unknown".
  readonly #peer: string;
  #metadata: Metadata | undefined;
  #request: unknown;
  #sent = 0;

  constructor(
    call: ServerInterceptingCallInterface,
    private readonly logger: Logger,
    private readonly options: CallLogOptions,
    private readonly method: ServerMethodDefinition<unknown, unknown>,
  ) {
    super(call);
    this.#peer = call.getPeer();
  }

  protected override receivedMetadata(metadata: Metadata): void {
    this.#metadata = metadata;
  }

  protected override receivedMessage(message: unknown): void {
    if (!this.method.requestStream) this.#request = message;
  }

  protected override sentMessage(): void {
    this.#sent++;
  }

  protected override ended(code: status): void {
    const durationMs = performance.now() - this.#started;
    const level = code === status.OK ? "info" : clientCodes.has(code) ? "warn" : "error";
    if (!this.logger.isEnabled(level)) return;
    this.logger.log(level, "call", {
      ...this.#requestFields(),
      method: this.method.path,
      code: status[code] ?? String(code),
      durationMs: Math.round(durationMs * 1000) / 1000,
      peer: this.#peer,
      ...(this.method.responseStream ? { sent: this.#sent } : {}),
    });
  }

  /** The request's fields, the user agent and the extra fields, in that order of precedence. */
  #requestFields(): LogFields {
    const metadata = this.#metadata;
    if (!metadata) return this.#request === undefined ? {} : requestFields(this.#request);
    // Only the user agent: metadata may carry credentials (authorization), never logged.
    const userAgent = metadata.get("user-agent")[0]?.toString() ?? "";
    return {
      userAgent,
      ...this.options.extraFields?.(metadata),
      ...(this.#request === undefined ? {} : requestFields(this.#request)),
    };
  }
}

/** The request's top-level scalar fields (city, prefix, limit…), strings cut short. */
function requestFields(message: unknown): LogFields {
  const plain =
    typeof (message as { toObject?: unknown })?.toObject === "function"
      ? (message as { toObject(): unknown }).toObject()
      : message;
  if (typeof plain !== "object" || plain === null) return {};
  const fields: LogFields = {};
  for (const [key, value] of Object.entries(plain)) {
    if (typeof value === "string") fields[key] = value.slice(0, maxFieldChars);
    else if (typeof value === "number" || typeof value === "boolean") fields[key] = value;
  }
  return fields;
}
