// Paths like `static_resources.clusters[0].connect_timeout` that say where a problem is.

/** One thing to fix, at a path like `static_resources.clusters[0].connect_timeout`. */
export interface ConfigProblem {
  path: string;
  message: string;
}

/** `path` extended by a field name or list index. */
export function configPath(path: string, key: string | number): string {
  if (typeof key === "number") return `${path}[${key}]`;
  const segment = /^[A-Za-z_@][\w@]*$/.test(key) ? key : JSON.stringify(key);
  return path ? `${path}.${segment}` : segment;
}
