// Checks of the rendered Kubernetes objects against the rest of the stack and the issue's
// rules: images that Compose builds or pins, who may reach whom, scaling and hardening.
import type { ComposeFile } from "./compose-checks.ts";
import { find, selects, workloads } from "./kubernetes-checks.ts";
import { type KubeObject, objectName } from "./kubernetes-render.ts";

const repository = (image: string) =>
  image
    .replace(/:[^/:]+$/, "")
    .split("/")
    .pop() ?? "";

/** Each image is one Compose runs: the same pinned image, or one it builds, retagged. */
function imageProblems(objects: KubeObject[], compose: ComposeFile): string[] {
  const services = Object.values(compose.services ?? {});
  const pinned = new Set(services.filter((service) => !service.build).map((s) => s.image));
  const built = new Set(
    services.filter((service) => service.build).map((s) => repository(s.image ?? "")),
  );
  return workloads(objects).flatMap(({ object, containers }) =>
    containers
      .map((container) => container.image as string)
      .filter((image) => !pinned.has(image) && !built.has(repository(image)))
      .map(
        (image) =>
          `${objectName(object)}: image ${image} is neither built nor pinned by docker-compose.yml`,
      ),
  );
}

/** Pods with `app.kubernetes.io/name` in `allowed` are the only ones let in to `target` pods. */
function ingressProblems(objects: KubeObject[], target: string, allowed: string[]): string[] {
  const targetPods = { "app.kubernetes.io/name": target };
  const policies = objects.filter(
    (object) =>
      object.kind === "NetworkPolicy" &&
      (Object.keys(object.spec?.podSelector ?? {}).length === 0 ||
        selects(object.spec?.podSelector?.matchLabels, targetPods)),
  );
  if (!policies.some((policy) => Object.keys(policy.spec?.podSelector ?? {}).length === 0))
    return [`NetworkPolicy: no default-deny policy, so anything reaches ${target}`];
  return policies.flatMap((policy) =>
    (policy.spec?.ingress ?? []).flatMap((rule: { from?: Array<Record<string, unknown>> }) => {
      const sources = rule.from ?? [{}];
      const names = sources.map(
        (source) =>
          (source.podSelector as { matchLabels?: Record<string, string> } | undefined)
            ?.matchLabels?.["app.kubernetes.io/name"],
      );
      return names.every((name) => name && allowed.includes(name))
        ? []
        : [`${objectName(policy)}: lets more than ${allowed.join(", ")} reach ${target}`];
    }),
  );
}

/** 3 replicas, scaled on CPU, kept through disruptions, probed by gRPC health. */
function serverScalingProblems(objects: KubeObject[]): string[] {
  const problems: string[] = [];
  const server = find(objects, "Deployment", "server");
  const labels = server?.spec?.template?.metadata?.labels ?? {};
  if (server?.spec?.replicas !== 3) problems.push("Deployment/server: replicas must be 3");
  const container = server?.spec?.template?.spec?.containers?.[0];
  for (const probe of ["readinessProbe", "livenessProbe"]) {
    if (!container?.[probe]?.grpc)
      problems.push(`Deployment/server: ${probe} must be a grpc probe`);
  }
  const hpa = find(objects, "HorizontalPodAutoscaler", "server");
  if (
    hpa?.spec?.scaleTargetRef?.name !== "server" ||
    hpa.spec.metrics?.[0]?.resource?.name !== "cpu"
  )
    problems.push("HorizontalPodAutoscaler/server: must scale Deployment/server on CPU");
  if (!selects(find(objects, "PodDisruptionBudget", "server")?.spec?.selector?.matchLabels, labels))
    problems.push("PodDisruptionBudget/server: must select the server's pods");
  return problems;
}

/** Non-root pods, read-only root filesystems, resources requested and limited. */
function hardeningProblems(objects: KubeObject[]): string[] {
  return workloads(objects).flatMap(({ object, containers }) => {
    const pod = object.spec.template.spec;
    const problems: string[] = [];
    if (pod.securityContext?.runAsNonRoot !== true)
      problems.push(`${objectName(object)}: runAsNonRoot must be true`);
    for (const container of containers) {
      if (container.securityContext?.readOnlyRootFilesystem !== true)
        problems.push(`${objectName(object)} ${container.name}: root filesystem must be read-only`);
      if (!container.resources?.requests || !container.resources?.limits)
        problems.push(
          `${objectName(object)} ${container.name}: needs resource requests and limits`,
        );
    }
    return problems;
  });
}

export function checkKubernetesPolicies(objects: KubeObject[], compose: ComposeFile): string[] {
  const hasPostgres = Boolean(find(objects, "StatefulSet", "postgres"));
  return [
    ...imageProblems(objects, compose),
    ...ingressProblems(objects, "server", ["envoy"]),
    ...ingressProblems(objects, "web", ["envoy"]),
    ...(hasPostgres ? ingressProblems(objects, "postgres", ["server", "migrate"]) : []),
    ...serverScalingProblems(objects),
    ...hardeningProblems(objects),
  ];
}
