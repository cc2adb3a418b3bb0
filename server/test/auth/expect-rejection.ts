import assert from "node:assert/strict";
import { type ServiceError, status } from "@grpc/grpc-js";
import { errorDomain, errorInfoOf } from "../../src/rich-error.ts";

/**
 * Asserts that `call` fails with `code` and the ErrorInfo `reason`, and that neither
 * the message nor the trailers quote any of `secrets` (the token, key material).
 */
export async function expectRejection(
  call: Promise<unknown>,
  code: status,
  reason: string,
  secrets: string[] = [],
): Promise<ServiceError> {
  const error = (await call.then(
    () => assert.fail(`expected ${status[code]} ${reason}, but the call was authorized`),
    (rejection: unknown) => rejection,
  )) as ServiceError;
  assert.equal(status[error.code], status[code], error.details);
  const info = errorInfoOf(error.metadata);
  assert.equal(info?.reason, reason, error.details);
  assert.equal(info?.domain, errorDomain);
  const trailers = JSON.stringify(error.metadata.toJSON());
  for (const secret of secrets.filter(Boolean)) {
    assert.ok(!error.details.includes(secret), `message quotes a secret: ${error.details}`);
    assert.ok(!trailers.includes(secret), "trailers quote a secret");
  }
  return error;
}
