// Checks of docker-compose.yml and the Dockerfiles that `docker-compose config` cannot make:
// what keeps `--scale server=3` possible, health checks everywhere, pinned images, non-root.

export interface ComposeService {
  build?: string | { context?: string; dockerfile?: string };
  image?: string;
  command?: string | string[];
  container_name?: string;
  ports?: Array<string | { target?: number; published?: string | number }>;
  expose?: Array<string | number>;
  environment?: Record<string, string> | string[];
  volumes?: Array<string | { source?: string; target?: string; read_only?: boolean }>;
  depends_on?: string[] | Record<string, { condition?: string }>;
  healthcheck?: { test?: string | string[]; disable?: boolean };
  read_only?: boolean;
  /** Optional services (`--profile observability`): never scaled. */
  profiles?: string[];
}

export interface ComposeFile {
  services?: Record<string, ComposeService>;
}

/** Container ports a service publishes on the host (the part after the last colon). */
export function publishedTargets(service: ComposeService): number[] {
  return (service.ports ?? []).map((port) =>
    typeof port === "string" ? Number(port.split(":").pop()?.split("/")[0]) : Number(port.target),
  );
}

export function environmentOf(service: ComposeService): Record<string, string> {
  const env = service.environment ?? {};
  if (!Array.isArray(env)) return env;
  return Object.fromEntries(
    env.map((entry) => [entry.split("=")[0] ?? "", entry.split("=").slice(1).join("=")]),
  );
}

/** The service built from a Dockerfile, e.g. "server/Dockerfile" → "server". */
export function serviceBuiltFrom(compose: ComposeFile, dockerfile: string): string | undefined {
  return Object.entries(compose.services ?? {}).find(
    ([, service]) => typeof service.build === "object" && service.build.dockerfile === dockerfile,
  )?.[0];
}

export const pinnedEnvoyImage = /^envoyproxy\/envoy:v\d+\.\d+\.\d+$/;

export function checkComposeFile(compose: ComposeFile): string[] {
  const problems: string[] = [];
  const services = compose.services ?? {};
  for (const name of ["server", "web", "envoy"]) {
    if (!services[name]) problems.push(`services.${name}: missing`);
  }
  for (const [name, service] of Object.entries(services)) {
    const test = service.healthcheck?.test;
    if (
      !test ||
      test.length === 0 ||
      service.healthcheck?.disable ||
      (Array.isArray(test) && test[0] === "NONE")
    ) {
      problems.push(`services.${name}.healthcheck: every service needs a health check`);
    }
    if (service.container_name) {
      problems.push(`services.${name}.container_name: remove it; a fixed name prevents --scale`);
    }
    // A profile's single-instance tools (Prometheus, Grafana) may publish on loopback only.
    const loopbackTool =
      Boolean(service.profiles?.length) &&
      (service.ports ?? []).every(
        (port) => typeof port === "string" && port.startsWith("127.0.0.1:"),
      );
    if (name !== "envoy" && service.ports?.length && !loopbackTool) {
      problems.push(
        `services.${name}.ports: only envoy publishes host ports (a fixed host port prevents --scale)`,
      );
    }
  }
  const server = services.server;
  if (
    server?.build &&
    (typeof server.build === "string" || server.build.dockerfile !== "server/Dockerfile")
  ) {
    problems.push(
      "services.server.build: must build server/Dockerfile with the repo root as context",
    );
  }
  const envoy = services.envoy;
  if (envoy) {
    if (!pinnedEnvoyImage.test(envoy.image ?? "")) {
      problems.push(
        `services.envoy.image: pin an Envoy release (envoyproxy/envoy:vX.Y.Z), got ${envoy.image}`,
      );
    }
    const dependsOn = envoy.depends_on;
    for (const dependency of ["server", "web"]) {
      const condition =
        dependsOn && !Array.isArray(dependsOn) ? dependsOn[dependency]?.condition : undefined;
      if (condition !== "service_healthy") {
        problems.push(
          `services.envoy.depends_on.${dependency}: must wait with condition service_healthy`,
        );
      }
    }
    const mount = (envoy.volumes ?? []).find((volume) =>
      typeof volume === "string"
        ? volume.startsWith("./envoy.yaml:")
        : volume.source === "./envoy.yaml",
    );
    const readOnly = typeof mount === "string" ? mount.endsWith(":ro") : mount?.read_only === true;
    if (!mount || !readOnly)
      problems.push("services.envoy.volumes: mount ./envoy.yaml read-only (:ro)");
  }
  return problems;
}

/** Where envoy.yaml is mounted inside the Envoy container, and the path Envoy is told to load. */
export function envoyConfigPaths(envoy: ComposeService): { mountedAt?: string; loaded?: string } {
  const mount = (envoy.volumes ?? []).find(
    (volume) => typeof volume === "string" && volume.startsWith("./envoy.yaml:"),
  );
  const command = Array.isArray(envoy.command) ? envoy.command : (envoy.command ?? "").split(/\s+/);
  const flag = command.indexOf("-c");
  return {
    mountedAt: typeof mount === "string" ? mount.split(":")[1] : undefined,
    loaded: flag >= 0 ? command[flag + 1] : "/etc/envoy/envoy.yaml",
  };
}

export interface Stage {
  image: string;
  /** `FROM image AS name`, lower case. */
  name?: string;
  instructions: string[];
}

/** FROM stages with ARG defaults substituted (`FROM ${NODE_IMAGE}` → `node:24.11-...`). */
export function dockerfileStages(text: string): Stage[] {
  const args = new Map<string, string>();
  const stages: Stage[] = [];
  const lines = text
    .replace(/\\\n/g, " ")
    .split("\n")
    .map((line) => line.trim());
  for (const line of lines) {
    if (line === "" || line.startsWith("#")) continue;
    const [instruction = "", ...rest] = line.split(/\s+/);
    const upper = instruction.toUpperCase();
    if (upper === "ARG" && stages.length === 0) {
      const [name, value] = (rest[0] ?? "").split("=");
      if (name && value) args.set(name, value);
    } else if (upper === "FROM") {
      const image = (rest.find((part) => !part.startsWith("--")) ?? "").replace(
        /\$\{(\w+)\}|\$(\w+)/g,
        (_match, braced: string | undefined, bare: string | undefined) =>
          args.get(braced ?? bare ?? "") ?? "",
      );
      const as = rest.findIndex((part) => part.toUpperCase() === "AS");
      stages.push({
        image,
        name: as >= 0 ? rest[as + 1]?.toLowerCase() : undefined,
        instructions: [],
      });
    } else {
      stages.at(-1)?.instructions.push(line);
    }
  }
  return stages;
}

/** Multi-stage, bases pinned to at least a minor version, and a non-root final stage. */
export function checkDockerfile(path: string, text: string): string[] {
  const problems: string[] = [];
  const stages = dockerfileStages(text);
  if (stages.length < 2)
    problems.push(`${path}: use a multi-stage build (build tools stay out of the final image)`);
  const stageNames = new Set(
    text
      .match(/^FROM\s+\S+\s+AS\s+(\S+)/gim)
      ?.map((line) => line.split(/\s+/).pop()?.toLowerCase() ?? "") ?? [],
  );
  for (const { image } of stages) {
    if (stageNames.has(image.toLowerCase())) continue;
    const tag = image.includes(":") ? image.slice(image.lastIndexOf(":") + 1) : "";
    if (!/\d+\.\d+/.test(tag) || /latest/.test(tag)) {
      problems.push(`${path}: pin base image "${image}" to at least a minor version`);
    }
  }
  const final = stages.at(-1);
  const user = final?.instructions
    .filter((line) => /^USER\s/i.test(line))
    .at(-1)
    ?.split(/\s+/)[1];
  const unprivilegedBase = /unprivileged/.test(final?.image ?? "");
  if (!unprivilegedBase && (!user || user === "root" || user === "0")) {
    problems.push(`${path}: the final stage must run as a non-root USER`);
  }
  return problems;
}
