// The grpc-timeout header: 1 to 8 digits and a unit (grpc/grpc doc/PROTOCOL-HTTP2.md).
import { Code, GatewayError } from "./status.ts";

const unitMs: Record<string, number> = {
  H: 3_600_000,
  M: 60_000,
  S: 1000,
  m: 1,
  u: 0.001,
  n: 0.000_001,
};

/**
 * The longest deadline the gateway keeps, and passes upstream: 2147483 s (24.8 days), the
 * longest whole number of seconds a timer can hold. Node's setTimeout (and grpc-js's
 * deadline timer) fire at once for 2^31 ms or more, so `600H` used to end
 * DEADLINE_EXCEEDED within milliseconds; longer grpc-timeout values are clamped to this.
 */
export const longestDeadlineMs = 2_147_483_000;
export const longestGrpcTimeout = "2147483S";

/** Parses grpc-timeout to milliseconds, rounded up so a deadline never fires early. */
export function parseGrpcTimeout(value: string): number {
  const match = /^(\d{1,8})([HMSmun])$/.exec(value.trim());
  if (!match) {
    throw new GatewayError(
      Code.INVALID_ARGUMENT,
      `grpc-timeout: expected 1 to 8 digits and a unit (H, M, S, m, u, n), e.g. "500m", got ${JSON.stringify(value)}`,
    );
  }
  const amount = Number(match[1]);
  const unit = unitMs[match[2] as string] as number;
  return Math.ceil(amount * unit);
}

/** Formats milliseconds as grpc-timeout. */
export function formatGrpcTimeout(ms: number): string {
  const whole = Math.max(0, Math.ceil(ms));
  return whole <= 99_999_999 ? `${whole}m` : `${Math.ceil(whole / 1000)}S`;
}

/** The deadline the gateway keeps for `ms`: the same, or the longest one for longer values. */
export function clampDeadline(ms: number): number {
  return Math.min(ms, longestDeadlineMs);
}
