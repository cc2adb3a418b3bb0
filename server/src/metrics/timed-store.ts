// Store latency at the store boundary: a wrapper that times every promise-returning
// TeamStore operation (a `list` until its first team: the first page's query) into
// teams_store_query_seconds.
import type { Histogram } from "prom-client";
import type { TeamStore } from "../store/team-store.ts";

/** `store` with each call timed; everything else (kind, optional methods) passes through. */
export function timedStore(store: TeamStore, seconds: Histogram<"operation" | "store">): TeamStore {
  return new Proxy(store, {
    get(target, key) {
      const value = Reflect.get(target, key);
      if (typeof value !== "function" || typeof key !== "string") return value;
      if (key === "list") return timedList(target, seconds);
      if (key === "onChange" || key === "close") return value.bind(target);
      return (...args: unknown[]) => {
        const stop = seconds.startTimer({ operation: key, store: target.kind });
        const result = value.apply(target, args);
        if (result instanceof Promise) return result.finally(() => stop());
        return result;
      };
    },
  });
}

function timedList(store: TeamStore, seconds: Histogram<"operation" | "store">): TeamStore["list"] {
  return async function* list(prefix, limit) {
    const iterator = store.list(prefix, limit)[Symbol.asyncIterator]();
    try {
      const stop = seconds.startTimer({ operation: "list", store: store.kind });
      let next = await iterator.next();
      stop();
      while (!next.done) {
        yield next.value;
        next = await iterator.next();
      }
    } finally {
      await iterator.return?.();
    }
  };
}
