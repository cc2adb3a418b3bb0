import { StatusCode } from "grpc-web";
import { type FieldViolation, fieldViolationsFrom } from "./field-violations.ts";

export { StatusCode };

/** The one error every TeamsApi call fails with: a gRPC status code plus what to fix. */
export class TeamsError extends Error {
  override readonly name = "TeamsError";

  constructor(
    readonly code: StatusCode,
    message: string,
    /** Decoded from google.rpc.BadRequest in grpc-status-details-bin; empty when absent. */
    readonly fieldViolations: readonly FieldViolation[] = [],
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
      return new TeamsError(error.code, error.message, fieldViolationsFrom(error.metadata));
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
