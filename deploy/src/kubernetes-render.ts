// Renders a kustomize overlay of deploy/kubernetes with kubectl's built-in kustomize, the way
// the README applies it (the flag lets the base read the repository's envoy.yaml).
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { parseAllDocuments } from "yaml";

const run = promisify(execFile);

/** One rendered Kubernetes object, as kustomize prints it. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  // biome-ignore lint/suspicious/noExplicitAny: every kind has its own spec; checks narrow it.
  [field: string]: any;
}

export const kustomizeArgs = ["kustomize", "--load-restrictor", "LoadRestrictionsNone"];

export async function renderKustomization(dir: string): Promise<KubeObject[]> {
  let stdout: string;
  try {
    ({ stdout } = await run("kubectl", [...kustomizeArgs, dir], { maxBuffer: 16 << 20 }));
  } catch (error) {
    const { code, stderr } = error as { code?: string | number; stderr?: string };
    if (code === "ENOENT") {
      throw new Error(
        "kubectl is not installed: install it from https://kubernetes.io/docs/tasks/tools/ " +
          "(any 1.27+ client; its built-in kustomize renders the overlays)",
      );
    }
    throw new Error(`kubectl kustomize ${dir} failed:\n${stderr}`);
  }
  return parseAllDocuments(stdout)
    .map((document) => document.toJS() as KubeObject | null)
    .filter((object): object is KubeObject => object !== null);
}

export function objectName(object: KubeObject): string {
  return `${object.kind}/${object.metadata?.name}`;
}
