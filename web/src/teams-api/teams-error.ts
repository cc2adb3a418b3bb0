import { StatusCode } from "grpc-web";
import type { ErrorInfo } from "./error-info.ts";
import type { FieldViolation } from "./field-violations.ts";

export { StatusCode };

/** The one error every TeamsApi call fails with: a gRPC status code plus what to fix. */
export class TeamsError extends Error {
  override readonly name = "TeamsError";

  constructor(
    readonly code: StatusCode,
    message: string,
    /** Decoded from google.rpc.BadRequest in grpc-status-details-bin; empty when absent. */
    readonly fieldViolations: readonly FieldViolation[] = [],
    /** Decoded from google.rpc.ErrorInfo in grpc-status-details-bin; null when absent. */
    readonly errorInfo: ErrorInfo | null = null,
    /** The call's trailers, still holding grpc-status-details-bin until it is decoded. */
    readonly metadata: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }

  /** What a call fails with once its AbortSignal fires. */
  static cancelled(): TeamsError {
    return new TeamsError(StatusCode.CANCELLED, "the call was cancelled");
  }

  /** Turns anything thrown (a grpc-web RpcError, an AbortError, a TypeError) into a TeamsError. */
  static from(error: unknown): TeamsError {
    if (error instanceof TeamsError) return error;
    if (isRpcError(error)) {
      const code = isNetworkFailure(error) ? StatusCode.UNAVAILABLE : error.code;
      // Rich details (BadRequest, ErrorInfo) are decoded later, by withErrorDetails.
      return new TeamsError(code, error.message, [], null, error.metadata ?? {});
    }
    if (error instanceof DOMException && error.name === "AbortError") {
      return TeamsError.cancelled();
    }
    const message = error instanceof Error ? error.message : String(error);
    return new TeamsError(StatusCode.UNKNOWN, message);
  }
}

interface RpcErrorLike {
  code: StatusCode;
  message: string;
  metadata?: Record<string, string>;
}

/**
 * grpc-web reports a request that got no HTTP response at all (gateway down, connection
 * refused, network gone) as UNKNOWN "Http response at 400 or 500 level, http status code: 0".
 * Status 0 means nothing answered, so the service is unreachable: UNAVAILABLE, as when the
 * gateway answers for a server that is down.
 */
function isNetworkFailure({ code, message }: RpcErrorLike): boolean {
  return code === StatusCode.UNKNOWN && /http status code: 0$/.test(message);
}

// grpc-web's RpcError is matched by shape: its class identity is lost across bundles.
function isRpcError(error: unknown): error is RpcErrorLike {
  return (
    error instanceof Error &&
    typeof (error as Partial<RpcErrorLike>).code === "number" &&
    typeof error.message === "string"
  );
}

const codeNames = new Map<number, string>(
  Object.entries(StatusCode).map(([name, code]) => [code as number, name]),
);

/** "UNAVAILABLE" for 14: the name a person can search for. */
export function statusName(code: number): string {
  return codeNames.get(code) ?? `CODE_${code}`;
}
