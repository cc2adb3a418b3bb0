// The module hooks of otel-load-recorder.mjs (they run on Node's hooks thread): each module
// resolved under @opentelemetry/, or one of our own OpenTelemetry files (tracing/otel-*.ts),
// is appended to the record as it is imported.
import { appendFileSync } from "node:fs";

let data;

export function initialize(given) {
  data = given;
}

export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context);
  if (/\/@opentelemetry\/|\/tracing\/otel-[^/]*$/.test(resolved.url)) {
    const { record, pid, main } = data;
    appendFileSync(record, `${JSON.stringify({ pid, main, url: resolved.url })}\n`);
  }
  return resolved;
}
