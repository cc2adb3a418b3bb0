// Consistency checks of the rendered Kubernetes objects that no schema can make: ports that
// agree, Envoy's configuration and addresses, images, drain times, who may reach whom.
import { parse } from "yaml";
import { envoyJwksFiles } from "./compose-production-checks.ts";
import { type KubeObject, objectName } from "./kubernetes-render.ts";

type Labels = Record<string, string>;
// biome-ignore lint/suspicious/noExplicitAny: rendered objects are checked field by field.
type Container = Record<string, any>;

interface Workload {
  object: KubeObject;
  labels: Labels;
  containers: Container[];
}

const workloadKinds = new Set(["Deployment", "StatefulSet", "Job"]);

export function workloads(objects: KubeObject[]): Workload[] {
  return objects
    .filter((object) => workloadKinds.has(object.kind))
    .map((object) => ({
      object,
      labels: object.spec?.template?.metadata?.labels ?? {},
      containers: object.spec?.template?.spec?.containers ?? [],
    }));
}

export function selects(matchLabels: Labels | undefined, labels: Labels): boolean {
  const pairs = Object.entries(matchLabels ?? {});
  return pairs.length > 0 && pairs.every(([key, value]) => labels[key] === value);
}

export function find(objects: KubeObject[], kind: string, name: string): KubeObject | undefined {
  return objects.find((object) => object.kind === kind && object.metadata.name === name);
}

function portMatches(container: Container, port: number | string | undefined): boolean {
  return (container.ports ?? []).some(
    (declared: { name?: string; containerPort: number }) =>
      declared.containerPort === port || (typeof port === "string" && declared.name === port),
  );
}

/** Every probe targets a port its container declares. */
function probePortProblems(all: Workload[]): string[] {
  return all.flatMap(({ object, containers }) =>
    containers.flatMap((container) =>
      ["readinessProbe", "livenessProbe", "startupProbe"].flatMap((probe) => {
        const action = container[probe]?.grpc ?? container[probe]?.tcpSocket;
        const port = action?.port ?? container[probe]?.httpGet?.port;
        if (port === undefined || portMatches(container, port)) return [];
        return [`${objectName(object)} ${container.name}.${probe}: port ${port} is not declared`];
      }),
    ),
  );
}

/** Every Service selects pods, and each of its target ports is a port of those pods. */
function servicePortProblems(objects: KubeObject[], all: Workload[]): string[] {
  return objects
    .filter((object) => object.kind === "Service")
    .flatMap((service) => {
      const pods = all.filter((workload) => selects(service.spec?.selector, workload.labels));
      if (pods.length === 0) return [`${objectName(service)}: its selector matches no pods`];
      return (service.spec?.ports ?? []).flatMap(
        (port: { port: number; targetPort?: number | string }) => {
          const target = port.targetPort ?? port.port;
          const served = pods.every(({ containers }) =>
            containers.some((container) => portMatches(container, target)),
          );
          return served
            ? []
            : [
                `${objectName(service)}: port ${port.port} targets ${target}, which no selected container declares`,
              ];
        },
      );
    });
}

interface EnvoyAddress {
  cluster: string;
  address: string;
  port: number;
}

/** The STRICT_DNS cluster addresses of an Envoy bootstrap. */
export function envoyClusterAddresses(envoyYaml: string): EnvoyAddress[] {
  // biome-ignore lint/suspicious/noExplicitAny: an Envoy bootstrap, only the clusters are read.
  const clusters: any[] = parse(envoyYaml)?.static_resources?.clusters ?? [];
  return clusters.flatMap((cluster) =>
    (cluster.load_assignment?.endpoints ?? []).flatMap(
      (locality: {
        lb_endpoints?: Array<{
          endpoint?: { address?: { socket_address?: { address: string; port_value: number } } };
        }>;
      }) =>
        (locality.lb_endpoints ?? []).map(({ endpoint }) => ({
          cluster: cluster.name as string,
          address: endpoint?.address?.socket_address?.address ?? "",
          port: endpoint?.address?.socket_address?.port_value ?? 0,
        })),
    ),
  );
}

/** Envoy runs the repository's envoy.yaml, and each of its clusters reaches a Service port. */
function envoyProblems(objects: KubeObject[], repoEnvoyYaml: string): string[] {
  const problems: string[] = [];
  const configMap = objects.find(
    (object) => object.kind === "ConfigMap" && object.metadata.name.startsWith("envoy-config"),
  );
  const envoyYaml: string | undefined = configMap?.data?.["envoy.yaml"];
  if (envoyYaml !== repoEnvoyYaml)
    problems.push("ConfigMap/envoy-config: envoy.yaml differs from the repository's envoy.yaml");
  const envoy = find(objects, "Deployment", "envoy");
  const pod = envoy?.spec?.template?.spec;
  const container: Container | undefined = pod?.containers?.[0];
  const args: string[] = [...(container?.command ?? []), ...(container?.args ?? [])];
  const loaded = args[args.indexOf("-c") + 1];
  const volume = pod?.volumes?.find(
    (candidate: { configMap?: { name: string } }) =>
      candidate.configMap?.name === configMap?.metadata.name,
  );
  const mount = container?.volumeMounts?.find(
    (candidate: { name: string }) => candidate.name === volume?.name,
  );
  if (!mount || `${mount.mountPath}/envoy.yaml` !== loaded) {
    problems.push(`Deployment/envoy: loads ${loaded}, which is not the mounted envoy-config`);
  }
  const secretVolumes = new Set(
    (pod?.volumes ?? [])
      .filter((candidate: { secret?: object }) => candidate.secret)
      .map((candidate: { name: string }) => candidate.name),
  );
  for (const file of envoyJwksFiles(parse(repoEnvoyYaml))) {
    const mounted = (container?.volumeMounts ?? []).some(
      (candidate: { name: string; mountPath: string }) =>
        secretVolumes.has(candidate.name) && file.startsWith(`${candidate.mountPath}/`),
    );
    if (!mounted)
      problems.push(`Deployment/envoy: jwt_authn reads ${file}, which no Secret volume mounts`);
  }
  for (const { cluster, address, port } of envoyClusterAddresses(repoEnvoyYaml)) {
    if (address === "127.0.0.1") continue; // inside the pod: the admin interface, for /stats/prometheus
    const service = find(objects, "Service", address);
    const ports: number[] = (service?.spec?.ports ?? []).map(
      (entry: { port: number }) => entry.port,
    );
    if (!service || !ports.includes(port)) {
      problems.push(`envoy.yaml cluster ${cluster}: ${address}:${port} is no Service port`);
    } else if (cluster === "teams_server" && service.spec.clusterIP !== "None") {
      problems.push(
        `Service/${address}: must be headless (clusterIP: None) so Envoy sees every pod`,
      );
    }
  }
  return problems;
}

/** Longer grace than the preStop pause plus the server's drain. */
function drainProblems(objects: KubeObject[]): string[] {
  const server = find(objects, "Deployment", "server");
  const config = objects.find(
    (object) => object.kind === "ConfigMap" && object.metadata.name.startsWith("server-config"),
  );
  const pod = server?.spec?.template?.spec;
  const drainSeconds = Number(config?.data?.DRAIN_TIMEOUT_MS ?? 10_000) / 1000;
  const pauseSeconds = pod?.containers?.[0]?.lifecycle?.preStop?.sleep?.seconds ?? 0;
  const grace = pod?.terminationGracePeriodSeconds ?? 30;
  return grace > drainSeconds + pauseSeconds
    ? []
    : [
        `Deployment/server: terminationGracePeriodSeconds ${grace} must exceed the preStop pause (${pauseSeconds} s) plus DRAIN_TIMEOUT_MS (${drainSeconds} s)`,
      ];
}

export function checkKubernetesObjects(objects: KubeObject[], repoEnvoyYaml: string): string[] {
  const all = workloads(objects);
  return [
    ...probePortProblems(all),
    ...servicePortProblems(objects, all),
    ...envoyProblems(objects, repoEnvoyYaml),
    ...drainProblems(objects),
  ];
}
