// `npm run -s client -- ...`: the tutorial's client in TypeScript, and the writes and
// streams the tutorial describes. See ../README.md.
import { type Invocation, parseInvocation, USAGE, UsageError } from "./cli-args";
import { importTeams } from "./commands/import-command";
import { lookupTeams } from "./commands/lookup-command";
import { getTeams, listTeams } from "./commands/read-commands";
import { deleteTeam, putTeam } from "./commands/write-commands";
import { describeFailure, EXIT_USAGE, exitCodeOf, isServiceError } from "./failure-report";
import { ImportFileError } from "./import-rows";
import { type Connection, connect } from "./teams-connection";
import type { Terminal } from "./terminal";

const METHODS = {
  get: "GetTeam",
  put: "PutTeam",
  delete: "DeleteTeam",
  import: "ImportTeams",
  lookup: "LookupTeams",
  list: "ListTeams",
  help: "",
} as const;

export async function runClient(
  argv: string[],
  env: typeof process.env,
  io: Terminal,
): Promise<number> {
  let invocation: Invocation;
  try {
    invocation = parseInvocation(argv, env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`${error.message}\n${USAGE}\n`);
    return EXIT_USAGE;
  }
  const { command, address, token } = invocation;
  if (command.name === "help") {
    io.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const connection = connect(address, token);
  try {
    return await dispatch(connection, invocation, io);
  } catch (error) {
    if (error instanceof ImportFileError) {
      io.stderr.write(`${error.message}\n`);
      return EXIT_USAGE;
    }
    if (!isServiceError(error)) throw error;
    io.stderr.write(describeFailure(error, { method: METHODS[command.name], address, token }));
    return exitCodeOf(error);
  } finally {
    connection.close();
  }
}

function dispatch(connection: Connection, { command }: Invocation, io: Terminal): Promise<number> {
  switch (command.name) {
    case "put":
      return putTeam(connection, command, io);
    case "delete":
      return deleteTeam(connection, command, io);
    case "import":
      return importTeams(connection, command.file, io);
    case "lookup":
      return lookupTeams(connection, io);
    case "list":
      return listTeams(connection, command, io);
    case "get":
      return getTeams(connection, command.cities, io);
    case "help":
      return Promise.resolve(0);
  }
}

runClient(process.argv.slice(2), process.env, process).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`client: unexpected error: ${(error as Error)?.stack ?? String(error)}\n`);
    process.exitCode = 1;
  },
);
