// Entry points: validate envoy.yaml text or a parsed config as an Envoy v3 Bootstrap.
import { parseDocument } from "yaml";
import type { ConfigProblem } from "./config-path.ts";
import { loadEnvoyApiProtos } from "./envoy-api-protos.ts";
import { bootstrapType, EnvoyConfigValidator } from "./envoy-config-validator.ts";

/** Problems of a parsed config object as an Envoy v3 Bootstrap; empty when valid. */
export function validateEnvoyBootstrap(config: unknown): ConfigProblem[] {
  return new EnvoyConfigValidator(loadEnvoyApiProtos().root).validate(bootstrapType, config);
}

/** Parses YAML strictly (duplicate keys refused), then validates it as a Bootstrap. */
export function validateEnvoyYaml(text: string): { config: unknown; problems: ConfigProblem[] } {
  const document = parseDocument(text, { uniqueKeys: true, prettyErrors: false });
  if (document.errors.length > 0) {
    return {
      config: undefined,
      problems: document.errors.map((error) => ({ path: "(yaml)", message: error.message })),
    };
  }
  const config: unknown = document.toJS();
  return { config, problems: validateEnvoyBootstrap(config) };
}

export function formatProblems(problems: ConfigProblem[]): string {
  return problems.map(({ path, message }) => `${path}: ${message}`).join("\n");
}
