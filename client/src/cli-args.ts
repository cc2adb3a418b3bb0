// The command line, parsed: which subcommand, its arguments, and where the server is.
import { parseArgs } from "node:util";

export const defaultAddress = "localhost:50051";
/** The tutorial client's cities, looked up when none are given. */
export const tutorialCities = ["Chicago", "Philadelphia", "Miami"];

export type Command =
  | { name: "get"; cities: string[] }
  | { name: "put"; city: string; nickname: string; ifVersion?: number }
  | { name: "delete"; city: string; ifVersion?: number }
  | { name: "import"; file: string }
  | { name: "lookup" }
  | { name: "list"; prefix: string; limit: number }
  | { name: "help" };

export type Invocation = { command: Command; address: string; token?: string };

export const usage = `usage: npm run -s client -- [CITY...]          GetTeam for each city (default: ${tutorialCities.join(" ")})
       npm run -s client -- put CITY NICKNAME [--if-version N]
       npm run -s client -- delete CITY [--if-version N]
       npm run -s client -- import FILE          client streaming: a JSON array or one JSON object a line
       npm run -s client -- lookup                bidi: cities from stdin, one a line
       npm run -s client -- list [PREFIX] [--limit N]
options: --address HOST:PORT (or TEAMS_ADDRESS; default ${defaultAddress})
         --token JWT (or TEAMS_TOKEN; writes need the scope teams:write)`;

/** A command line that cannot be run; the message says what to fix. Exit code 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

const subcommands = ["get", "put", "delete", "import", "lookup", "list", "help"] as const;

export function parseInvocation(
  argv: string[],
  env: Record<string, string | undefined>,
): Invocation {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  const address = values.address ?? (env.TEAMS_ADDRESS?.trim() || defaultAddress);
  const token = values.token ?? (env.TEAMS_TOKEN?.trim() || undefined);
  const command = values.help ? ({ name: "help" } as const) : commandOf(positionals, values);
  return { command, address, token };
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      address: { type: "string" },
      token: { type: "string" },
      "if-version": { type: "string" },
      limit: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
}

type Flags = ReturnType<typeof parse>["values"];

function commandOf(positionals: string[], flags: Flags): Command {
  const [first = "", ...rest] = positionals;
  const name = (subcommands as readonly string[]).includes(first) ? first : "get";
  const args = name === "get" && first !== "get" ? positionals : rest;
  onlyFor(flags, "if-version", name, ["put", "delete"]);
  onlyFor(flags, "limit", name, ["list"]);
  const ifVersion = wholeNumber(flags["if-version"], "--if-version");
  switch (name) {
    case "put": {
      const [city, nickname] = exactly(args, ["CITY", "NICKNAME"], name);
      return { name, city, nickname, ifVersion };
    }
    case "delete":
      return { name, city: exactly(args, ["CITY"], name)[0], ifVersion };
    case "import":
      return { name, file: exactly(args, ["FILE"], name)[0] };
    case "lookup":
      exactly(args, [], name);
      return { name };
    case "list": {
      if (args.length > 1)
        throw new UsageError(`list takes at most one PREFIX, got ${args.length}`);
      return { name, prefix: args[0] ?? "", limit: wholeNumber(flags.limit, "--limit") ?? 0 };
    }
    case "help":
      return { name };
    default:
      return { name: "get", cities: args.length ? args : tutorialCities };
  }
}

function exactly(args: string[], names: string[], command: string): [string, string] {
  if (args.length !== names.length) {
    const wanted = names.length ? names.join(" ") : "no arguments";
    throw new UsageError(`${command} takes ${wanted}, got ${args.length} argument(s)`);
  }
  return [args[0] ?? "", args[1] ?? ""];
}

function onlyFor(flags: Flags, flag: keyof Flags, command: string, allowed: string[]): void {
  if (flags[flag] !== undefined && !allowed.includes(command)) {
    throw new UsageError(`--${flag} is for ${allowed.join(" and ")}, not ${command}`);
  }
}

function wholeNumber(raw: string | undefined, flag: string): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(Number(raw))) {
    throw new UsageError(`${flag} must be a whole number, got "${raw}"`);
  }
  return Number(raw);
}
