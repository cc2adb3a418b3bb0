// Does Envoy's CORS policy allow what the Node gateway allows, and refuse what it refuses?
import type { HttpConnectionManager } from "./envoy-config-shape.ts";
import type { GatewayDefaults } from "./stack-files.ts";
import { sameSet, splitList } from "./unordered-lists.ts";

export const corsFilter = "envoy.filters.http.cors";
/**
 * Metadata the page sends (web/src/teams-api/call-metadata.ts): the token on writes and W3C
 * trace context. The Node gateway allows any header name a preflight asks for; Envoy lists them.
 */
const pageRequestHeaders = ["authorization", "traceparent", "tracestate", "baggage"];

interface OriginMatcher {
  exact?: string;
  prefix?: string;
  safe_regex?: { regex?: string };
}

function originAllowed(matchers: OriginMatcher[], origin: string): boolean {
  return matchers.some(
    (matcher) =>
      matcher.exact === origin ||
      (matcher.prefix !== undefined && origin.startsWith(matcher.prefix)) ||
      // RE2 full match; these simple patterns mean the same in JavaScript.
      (matcher.safe_regex?.regex !== undefined &&
        new RegExp(`^(?:${matcher.safe_regex.regex})$`).test(origin)),
  );
}

/** Origins the gateway's CORS_ORIGINS allows (a sample per pattern) and some it refuses. */
function sampleOrigins(corsOrigins: string): { allowed: string[]; refused: string[] } {
  const allowed = corsOrigins
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean)
    .flatMap((entry) =>
      entry.endsWith(":*")
        ? [entry.replace(/:\*$/, ":5173"), entry.replace(/:\*$/, ":8080")]
        : [entry],
    );
  const refused = [
    "http://evil.example",
    "http://localhost.evil.example:8080",
    "https://attacker.test:5173",
  ];
  return { allowed, refused };
}

/** Problems of each virtual host's CORS policy, compared with the gateway's. */
export function checkCors(manager: HttpConnectionManager, gateway: GatewayDefaults): string[] {
  const problems: string[] = [];
  const hosts = manager.route_config?.virtual_hosts ?? [];
  for (const host of hosts) {
    const policy = host.typed_per_filter_config?.[corsFilter];
    const where = `virtual host ${host.name}: typed_per_filter_config.${corsFilter}`;
    if (!policy) {
      problems.push(`${where}: missing; the page's CORS policy lives here (CorsPolicy)`);
      continue;
    }
    const allowHeaders = splitList(policy.allow_headers);
    const mustAllow = [...new Set([...gateway.allowedRequestHeaders, ...pageRequestHeaders])];
    if (!sameSet(allowHeaders, mustAllow)) {
      problems.push(
        `${where}.allow_headers: must be ${mustAllow.join(",")} like the gateway, got ${allowHeaders.join(",")}`,
      );
    }
    const exposeHeaders = splitList(policy.expose_headers);
    if (!sameSet(exposeHeaders, gateway.exposedHeaders)) {
      problems.push(
        `${where}.expose_headers: must be ${gateway.exposedHeaders.join(",")} like the gateway, got ${exposeHeaders.join(",")}`,
      );
    }
    const matchers = (policy.allow_origin_string_match ?? []) as OriginMatcher[];
    const { allowed, refused } = sampleOrigins(gateway.corsOrigins);
    for (const origin of allowed) {
      if (!originAllowed(matchers, origin))
        problems.push(`${where}: must allow origin ${origin}, as the gateway does`);
    }
    for (const origin of refused) {
      if (originAllowed(matchers, origin))
        problems.push(`${where}: must refuse origin ${origin}, as the gateway does`);
    }
  }
  return problems;
}
