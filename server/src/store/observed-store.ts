// The store boundary, observed: a wrapper that tells `begin` about every promise-returning
// TeamStore operation (a `list` until its first team: the first page's query; likewise a
// listing's first `listPage`, as "list", its later pages not) and calls the function it returns
// when the operation settles. Metrics time them; tracing spans them.
import type { TeamStore } from "./team-store.ts";

/** Called as an operation starts; the function it returns is called when it settles. */
export type StoreOperationObserver = (operation: string, store: string) => () => void;

/** `store` with each operation observed; everything else (kind, onChange) passes through. */
export function observedStore(store: TeamStore, begin: StoreOperationObserver): TeamStore {
  return new Proxy(store, {
    get(target, key) {
      const value = Reflect.get(target, key);
      if (typeof value !== "function" || typeof key !== "string") return value;
      if (key === "list") return observedList(target, begin);
      if (key === "listPage") return observedListPage(target, begin);
      if (key === "onChange" || key === "close") return value.bind(target);
      return (...args: unknown[]) => {
        const end = begin(key, target.kind);
        const result = value.apply(target, args);
        if (result instanceof Promise) return result.finally(end);
        end();
        return result;
      };
    },
  });
}

function observedListPage(store: TeamStore, begin: StoreOperationObserver): TeamStore["listPage"] {
  return (prefix, after, size) => {
    if (after !== undefined) return store.listPage(prefix, after, size);
    const end = begin("list", store.kind);
    return store.listPage(prefix, after, size).finally(end);
  };
}

function observedList(store: TeamStore, begin: StoreOperationObserver): TeamStore["list"] {
  return async function* list(prefix, limit) {
    const iterator = store.list(prefix, limit)[Symbol.asyncIterator]();
    try {
      const end = begin("list", store.kind);
      let next: IteratorResult<Awaited<ReturnType<typeof iterator.next>>["value"]>;
      try {
        next = await iterator.next();
      } finally {
        end();
      }
      while (!next.done) {
        yield next.value;
        next = await iterator.next();
      }
    } finally {
      await iterator.return?.();
    }
  };
}

/** One observer that runs each of `observers` (metrics and tracing). */
export function bothObservers(
  observers: ReadonlyArray<StoreOperationObserver | undefined>,
): StoreOperationObserver | undefined {
  const present = observers.filter((observer) => observer !== undefined);
  if (present.length <= 1) return present[0];
  return (operation, store) => {
    const ends = present.map((observer) => observer(operation, store));
    return () => {
      for (const end of ends) end();
    };
  };
}
