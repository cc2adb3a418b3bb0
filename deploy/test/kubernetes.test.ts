// deploy/kubernetes, checked offline: both overlays render with kubectl's kustomize, every
// object is valid for the pinned Kubernetes API, and the manifests agree with envoy.yaml,
// docker-compose.yml and each other. Each check is shown to fail on a broken copy.
import assert from "node:assert/strict";
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { ComposeFile } from "../src/compose-checks.ts";
import { checkKubernetesObjects } from "../src/kubernetes-checks.ts";
import { checkKubernetesPolicies } from "../src/kubernetes-policies.ts";
import { type KubeObject, renderKustomization } from "../src/kubernetes-render.ts";
import { validateKubernetesObjects } from "../src/kubernetes-schema.ts";
import { readRepoFile, readYaml, repoPath } from "../src/stack-files.ts";

const compose = readYaml("docker-compose.yml") as ComposeFile;
const envoyYaml = readRepoFile("envoy.yaml");

function allProblems(objects: KubeObject[], envoy = envoyYaml): string[] {
  return [...checkKubernetesObjects(objects, envoy), ...checkKubernetesPolicies(objects, compose)];
}

for (const overlay of ["dev", "prod"]) {
  describe(`deploy/kubernetes/overlays/${overlay}`, () => {
    let objects: KubeObject[] = [];
    before(async () => {
      objects = await renderKustomization(repoPath(`deploy/kubernetes/overlays/${overlay}`));
    });

    it("renders, and every object is valid for the pinned Kubernetes API", async () => {
      assert.ok(objects.length > 10, `rendered ${objects.length} objects`);
      assert.deepEqual(await validateKubernetesObjects(objects), []);
    });

    it("agrees with envoy.yaml, docker-compose.yml and itself", () => {
      assert.deepEqual(allProblems(objects), []);
    });
  });
}

describe("deploy/kubernetes checks fail on a broken copy", () => {
  let root = "";
  before(async () => {
    root = await mkdtemp(join(tmpdir(), "teams-kube-"));
  });
  after(() => rm(root, { recursive: true, force: true }));

  type Edit = [file: string, from: string, to: string];
  let copies = 0;
  /** A copy of deploy/kubernetes and envoy.yaml with the edits, rendered as `overlay`. */
  async function renderBroken(edits: Edit[], overlay = "dev"): Promise<KubeObject[]> {
    const dir = join(root, String(copies++));
    await cp(repoPath("deploy/kubernetes"), join(dir, "deploy/kubernetes"), { recursive: true });
    await cp(repoPath("envoy.yaml"), join(dir, "envoy.yaml"));
    for (const [file, from, to] of edits) {
      const path = join(dir, file);
      const text = await readFile(path, "utf8");
      assert.ok(text.includes(from), `${file} contains ${from}`);
      await writeFile(path, text.replace(from, to));
    }
    return renderKustomization(join(dir, `deploy/kubernetes/overlays/${overlay}`));
  }
  const server = "deploy/kubernetes/base/server.yaml";

  it("a misspelled field and a wrong type fail the schema check", async () => {
    const objects = await renderBroken([
      [server, "terminationGracePeriodSeconds:", "terminationGracePeriodSecond:"],
      ["deploy/kubernetes/base/web.yaml", "replicas: 2", 'replicas: "two"'],
    ]);
    const problems = (await validateKubernetesObjects(objects)).join("\n");
    assert.match(problems, /Deployment\/server: .*'"terminationGracePeriodSecond"' does not exist/);
    assert.match(problems, /Deployment\/web: data\/spec\/replicas must be integer/);
  });

  const cases: Array<{ name: string; edits: Edit[]; expected: RegExp; overlay?: string }> = [
    {
      name: "a probe on an undeclared port",
      edits: [
        [server, "grpc: { port: 50051, service: Teams }", "grpc: { port: 50052, service: Teams }"],
      ],
      expected: /Deployment\/server server\.readinessProbe: port 50052 is not declared/,
    },
    {
      name: "a Service targeting an undeclared port",
      edits: [["deploy/kubernetes/base/web.yaml", "targetPort: http", "targetPort: 8081"]],
      expected: /Service\/web: port 8080 targets 8081/,
    },
    {
      name: "an Envoy cluster on a port no Service has",
      edits: [
        ["envoy.yaml", "address: server, port_value: 50051", "address: server, port_value: 50052"],
      ],
      expected: /envoy\.yaml cluster teams_server: server:50052 is no Service port/,
    },
    {
      name: "a jwt_authn JWKS file that Envoy's pod does not mount",
      edits: [
        [
          "envoy.yaml",
          "  clusters:\n",
          "  local_jwks: { filename: /etc/envoy/jwks.json }\n  clusters:\n",
        ],
      ],
      expected: /jwt_authn reads \/etc\/envoy\/jwks\.json, which no Secret volume mounts/,
    },
    {
      name: "a server Service that is not headless",
      edits: [[server, "  clusterIP: None\n", ""]],
      expected: /Service\/server: must be headless/,
    },
    {
      name: "an image Compose does not build",
      edits: [[server, "image: teams-server:local", "image: teams-srv:local"]],
      expected: /Deployment\/server: image teams-srv:local is neither built nor pinned/,
    },
    {
      name: "a grace period shorter than the drain",
      edits: [[server, "terminationGracePeriodSeconds: 30", "terminationGracePeriodSeconds: 12"]],
      expected: /terminationGracePeriodSeconds 12 must exceed/,
    },
    {
      name: "a policy letting the page reach the servers",
      edits: [
        [
          "deploy/kubernetes/base/network-policies.yaml",
          "name: server-from-envoy\nspec:\n  podSelector:\n    matchLabels: { app.kubernetes.io/name: server }\n  policyTypes: [Ingress]\n  ingress:\n    - from:\n        - podSelector:\n            matchLabels: { app.kubernetes.io/name: envoy }",
          "name: server-from-envoy\nspec:\n  podSelector:\n    matchLabels: { app.kubernetes.io/name: server }\n  policyTypes: [Ingress]\n  ingress:\n    - from:\n        - podSelector:\n            matchLabels: { app.kubernetes.io/name: web }",
        ],
      ],
      expected: /NetworkPolicy\/server-from-envoy: lets more than envoy reach server/,
    },
    {
      name: "pods without the hardening patch",
      edits: [
        [
          "deploy/kubernetes/base/kustomization.yaml",
          "  - path: hardening.yaml\n    target: { group: apps, kind: Deployment|StatefulSet }\n",
          "",
        ],
      ],
      expected: /Deployment\/server: runAsNonRoot must be true/,
      overlay: "prod",
    },
  ];
  for (const { name, edits, expected, overlay } of cases) {
    it(`${name} fails a consistency check`, async () => {
      const brokenEnvoy = edits.find(([file]) => file === "envoy.yaml");
      const envoy = brokenEnvoy ? envoyYaml.replace(brokenEnvoy[1], brokenEnvoy[2]) : envoyYaml;
      const problems = allProblems(await renderBroken(edits, overlay), envoy);
      assert.match(problems.join("\n"), expected);
    });
  }

  it("a ConfigMap that is not the repository's envoy.yaml fails", async () => {
    const objects = await renderBroken([
      ["envoy.yaml", "stat_prefix: grpc_web", "stat_prefix: web"],
    ]);
    assert.match(allProblems(objects).join("\n"), /envoy\.yaml differs from the repository's/);
  });
});
