// docker-compose.yml's production rules: PostgreSQL pinned with its data on a named volume and
// its password from .env, the servers on DATABASE_URL, one read-only JWKS file for the servers
// and Envoy's jwt_authn, and read-only root filesystems for the images we build.
import { type ComposeFile, type ComposeService, environmentOf } from "./compose-checks.ts";

/** `source:target[:ro]` strings and long-form mounts, as { source, target, readOnly }. */
function mounts(service: ComposeService) {
  return (service.volumes ?? []).map((volume) => {
    if (typeof volume !== "string")
      return { source: volume.source, target: volume.target, readOnly: volume.read_only === true };
    const [source, target, mode] = volume.split(":");
    return { source, target, readOnly: mode === "ro" };
  });
}

/** The files Envoy's jwt_authn providers read their JWKS from (`local_jwks.filename`). */
export function envoyJwksFiles(config: unknown): string[] {
  if (!config || typeof config !== "object") return [];
  return Object.entries(config).flatMap(([key, value]) => {
    const filename = (value as { filename?: unknown } | null)?.filename;
    if (key === "local_jwks" && typeof filename === "string") return [filename];
    return envoyJwksFiles(value);
  });
}

export function checkComposeProduction(compose: ComposeFile, envoyConfig: unknown): string[] {
  const problems: string[] = [];
  const { postgres, server, envoy, web } = compose.services ?? {};
  if (!/^postgres:\d+\.\d+/.test(postgres?.image ?? ""))
    problems.push(
      `services.postgres.image: pin the official image to major.minor, got ${postgres?.image}`,
    );
  const data =
    postgres && mounts(postgres).find((mount) => mount.target === "/var/lib/postgresql/data");
  if (!data?.source || data.source.includes("/"))
    problems.push("services.postgres.volumes: keep /var/lib/postgresql/data on a named volume");
  if (!JSON.stringify(postgres?.healthcheck?.test ?? "").includes("pg_isready"))
    problems.push("services.postgres.healthcheck: use pg_isready");
  const password = postgres ? environmentOf(postgres).POSTGRES_PASSWORD : undefined;
  if (!password?.startsWith("${POSTGRES_PASSWORD"))
    problems.push(
      "services.postgres.environment.POSTGRES_PASSWORD: take it from .env, never a literal",
    );
  const databaseUrl = server ? environmentOf(server).DATABASE_URL : "";
  if (!databaseUrl?.includes("@postgres:5432/"))
    problems.push("services.server.environment.DATABASE_URL: must point at the postgres service");
  const jwksFile = server ? environmentOf(server).AUTH_JWKS_FILE : undefined;
  const jwksFiles = [...new Set([jwksFile, ...envoyJwksFiles(envoyConfig)])];
  for (const [name, service, files] of [
    ["server", server, [jwksFile]],
    ["envoy", envoy, envoyJwksFiles(envoyConfig)],
  ] as const) {
    for (const file of files) {
      const mount = service && mounts(service).find((candidate) => candidate.target === file);
      if (!mount?.readOnly)
        problems.push(`services.${name}.volumes: mount the JWKS ${file} read-only`);
    }
  }
  const sources = new Set(
    [server, envoy].flatMap((service) =>
      service
        ? mounts(service)
            .filter((m) => jwksFiles.includes(m.target))
            .map((m) => m.source)
        : [],
    ),
  );
  if (sources.size > 1)
    problems.push(`JWKS: the server and Envoy mount different files (${[...sources].join(", ")})`);
  for (const [name, service] of Object.entries({ server, web })) {
    if (service?.read_only !== true)
      problems.push(`services.${name}.read_only: run with a read-only root filesystem`);
  }
  return problems;
}
