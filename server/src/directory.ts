import { cityKey, type TeamRecord } from "./team-record.ts";

/**
 * The team directory, indexed once at start so lookups do not grow with its size:
 * `find` is one Map lookup, `list` is a binary search for the first key with the
 * prefix followed by a walk over the k matches.
 */
export class TeamDirectory {
  readonly #byKey = new Map<string, TeamRecord>();
  /** Every [key, team] in key (code-unit) order; `list` walks it from the prefix's lower bound. */
  readonly #sorted: ReadonlyArray<readonly [key: string, team: TeamRecord]>;

  /** Throws on a duplicate city; files are checked with line numbers before this (teams-file.ts). */
  constructor(teams: readonly TeamRecord[]) {
    for (const team of teams) {
      const key = cityKey(team.city);
      const existing = this.#byKey.get(key);
      if (existing) {
        throw new Error(`duplicate city "${team.city.trim()}" (same as "${existing.city}")`);
      }
      this.#byKey.set(key, { city: team.city.trim(), nickname: team.nickname.trim() });
    }
    this.#sorted = [...this.#byKey].sort(([a], [b]) => compareKeys(a, b));
  }

  get size(): number {
    return this.#byKey.size;
  }

  /** The team of `city` (any case, surrounding spaces ignored), or undefined. */
  find(city: string): TeamRecord | undefined {
    return this.#byKey.get(cityKey(city));
  }

  /**
   * Teams whose city starts with `prefix` (any case, trimmed; "" = all), in city
   * order, at most `limit` of them (0 = no limit). Lazy, so a caller streaming a
   * million teams holds one at a time.
   */
  *list(prefix: string, limit = 0): Generator<TeamRecord> {
    const wanted = cityKey(prefix);
    const max = limit > 0 ? limit : Number.POSITIVE_INFINITY;
    let yielded = 0;
    for (let i = lowerBound(this.#sorted, wanted); i < this.#sorted.length; i++) {
      const [key, team] = this.#sorted[i] ?? [];
      if (key === undefined || team === undefined) return;
      if (!key.startsWith(wanted) || yielded >= max) return;
      yield team;
      yielded++;
    }
  }
}

/** Plain code-unit order: fast, total and locale-independent, so every replica agrees. */
function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Index of the first key >= `wanted`; all keys starting with `wanted` follow it contiguously. */
function lowerBound(sorted: ReadonlyArray<readonly [string, unknown]>, wanted: string): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((sorted[mid]?.[0] ?? "") < wanted) low = mid + 1;
    else high = mid;
  }
  return low;
}
