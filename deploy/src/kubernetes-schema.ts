// Validates rendered Kubernetes objects against the OpenAPI schema of one pinned Kubernetes
// version (kubernetes-models 5.1.0: the Kubernetes 1.34 API), in two passes:
// - the package's own validators (JSON Schema compiled by ajv): types, required fields,
//   formats, enums;
// - its TypeScript types, with the compiler's excess-property check: a misspelled or unknown
//   field (`imagePulllPolicy`), which the OpenAPI schema alone lets through.
import ts from "typescript";
import { type KubeObject, objectName } from "./kubernetes-render.ts";
import { repoPath } from "./stack-files.ts";

export const kubernetesApiVersion = "1.34";

/** "apps/v1" + "Deployment" → "kubernetes-models/apps/v1/Deployment" (core: "v1/Service"). */
function modelModule(object: KubeObject): string {
  return `kubernetes-models/${object.apiVersion}/${object.kind}`;
}

type Model = new (data: unknown) => { validate(): void };

async function schemaProblems(object: KubeObject): Promise<string[]> {
  let model: Model | undefined;
  try {
    const module = (await import(modelModule(object))) as Record<string, Model>;
    model = module[object.kind];
  } catch {
    model = undefined;
  }
  if (!model) return [`${objectName(object)}: no ${object.apiVersion} ${object.kind} in the API`];
  try {
    new model(object).validate();
    return [];
  } catch (error) {
    return [`${objectName(object)}: ${(error as Error).message}`];
  }
}

/** Unknown fields, found by type-checking each object as a literal of the model's type. */
function unknownFieldProblems(objects: KubeObject[]): string[] {
  const fileName = repoPath("deploy/.kubernetes-objects.ts");
  const lines: string[] = [];
  const owners: Array<{ from: number; name: string }> = [];
  objects.forEach((object, index) => {
    const type = `I${object.kind}`;
    lines.push(`import type { ${type} as T${index} } from "${modelModule(object)}";`);
  });
  let lineCount = lines.length;
  objects.forEach((object, index) => {
    owners.push({ from: lineCount, name: objectName(object) });
    const literal = `export const o${index}: T${index} = ${JSON.stringify(object, null, 1)};`;
    lines.push(literal);
    lineCount += literal.split("\n").length;
  });
  const source = lines.join("\n");
  const options: ts.CompilerOptions = {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, version, ...rest) =>
    name === fileName
      ? ts.createSourceFile(name, source, version)
      : getSourceFile(name, version, ...rest);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => name === fileName || fileExists(name);
  const program = ts.createProgram([fileName], options, host);
  const sourceFile = program.getSourceFile(fileName);
  return ts.getPreEmitDiagnostics(program, sourceFile).map((diagnostic) => {
    const line = sourceFile?.getLineAndCharacterOfPosition(diagnostic.start ?? 0).line ?? 0;
    const owner = owners.findLast((candidate) => candidate.from <= line)?.name ?? "imports";
    return `${owner}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, " ")}`;
  });
}

/** Every problem of every object; empty when all are valid Kubernetes objects. */
export async function validateKubernetesObjects(objects: KubeObject[]): Promise<string[]> {
  const problems = (await Promise.all(objects.map(schemaProblems))).flat();
  return [...problems, ...unknownFieldProblems(objects)];
}
