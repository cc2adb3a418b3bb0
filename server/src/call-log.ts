// One log line per call, written by a grpc-js server interceptor (grpc-js 1.10+), so every
// service is covered the same way (Teams, health, reflection) and no handler times itself:
// `{"level":"info","msg":"call","method":"/Teams/GetTeam","code":"OK","durationMs":0.4,
//   "peer":"ipv4:127.0.0.1:51234","userAgent":"grpc-node-js/1.14.7","city":"Chicago"}`.
import {
  type Metadata,
  ServerInterceptingCall,
  type ServerInterceptingCallInterface,
  type ServerInterceptor,
  type ServerMethodDefinition,
  status,
} from "@grpc/grpc-js";
import type { LogFields, Logger } from "./logger.ts";

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

/** A cancel after the deadline is the deadline's doing (grpc-js has already answered 4). */
export function cancelCode(call: Pick<ServerInterceptingCallInterface, "getDeadline">): status {
  const deadline = call.getDeadline();
  const at = deadline instanceof Date ? deadline.getTime() : deadline;
  return Number.isFinite(at) && Date.now() >= at ? status.DEADLINE_EXCEEDED : status.CANCELLED;
}

/** Request fields longer than this are cut in the log line. */
const maxFieldChars = 100;

/**
 * Adds fields to every call line (for example `trace_id` from the observability work);
 * called once per call with the request metadata, after the built-in fields are known.
 */
export type CallLogFields = (metadata: Metadata) => LogFields;

export type CallLogOptions = {
  /** Extra fields per call; their keys win over the request's but not the built-in ones. */
  extraFields?: CallLogFields;
};

/** The interceptor to pass to `new Server({ interceptors: [callLogInterceptor(logger)] })`. */
export function callLogInterceptor(
  logger: Logger,
  options: CallLogOptions = {},
): ServerInterceptor {
  return (method, call) => new LoggedCall(logger, options, method, call).intercepted;
}

class LoggedCall {
  readonly intercepted: ServerInterceptingCall;
  readonly #started = process.hrtime.bigint();
  // Read now: once a client has hung up, grpc-js only knows the peer as "unknown".
  readonly #peer: string;
  #fields: LogFields = {};
  #sent = 0;
  #logged = false;

  constructor(
    private readonly logger: Logger,
    private readonly options: CallLogOptions,
    private readonly method: ServerMethodDefinition<unknown, unknown>,
    private readonly call: ServerInterceptingCallInterface,
  ) {
    this.#peer = call.getPeer();
    this.intercepted = new ServerInterceptingCall(call, {
      start: (next) =>
        next({
          onReceiveMetadata: (metadata, nextMetadata) => {
            this.#fields = this.#metadataFields(metadata);
            nextMetadata(metadata);
          },
          onReceiveMessage: (message, nextMessage) => {
            if (!method.requestStream) Object.assign(this.#fields, requestFields(message));
            nextMessage(message);
          },
          onCancel: () => this.#end(cancelCode(this.call)),
        }),
      sendMessage: (message, nextMessage) => {
        this.#sent++;
        nextMessage(message);
      },
      sendStatus: (outcome, nextStatus) => {
        this.#end(outcome.code ?? status.UNKNOWN);
        nextStatus(outcome);
      },
    });
  }

  #metadataFields(metadata: Metadata): LogFields {
    // Only the user agent: metadata may carry credentials (authorization), never logged.
    const userAgent = metadata.get("user-agent")[0]?.toString() ?? "";
    return { userAgent, ...this.options.extraFields?.(metadata) };
  }

  #end(code: status): void {
    if (this.#logged) return;
    this.#logged = true;
    const durationMs = Number(process.hrtime.bigint() - this.#started) / 1e6;
    const level = code === status.OK ? "info" : clientCodes.has(code) ? "warn" : "error";
    this.logger.log(level, "call", {
      ...this.#fields,
      method: this.method.path,
      code: status[code] ?? String(code),
      durationMs: Math.round(durationMs * 1000) / 1000,
      peer: this.#peer,
      ...(this.method.responseStream ? { sent: this.#sent } : {}),
    });
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
