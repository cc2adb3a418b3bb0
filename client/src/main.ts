// `npm run -s client -- ...`: the tutorial's client in TypeScript, and the writes and
// streams the tutorial describes. See ../README.md.
import { type Invocation, parseInvocation, UsageError, usage } from "./cli-args.ts";
import { importTeams } from "./commands/import-command.ts";
import { lookupTeams } from "./commands/lookup-command.ts";
import { getTeams, listTeams } from "./commands/read-commands.ts";
import { deleteTeam, putTeam } from "./commands/write-commands.ts";
import { describeFailure, exitCodeOf, exitUsage, isServiceError } from "./failure-report.ts";
import { ImportFileError } from "./import-rows.ts";
import { type Connection, connect } from "./teams-connection.ts";
import type { Terminal } from "./terminal.ts";

const methods = {
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
    io.stderr.write(`${error.message}\n${usage}\n`);
    return exitUsage;
  }
  const { command, address, token } = invocation;
  if (command.name === "help") {
    io.stdout.write(`${usage}\n`);
    return 0;
  }
  const connection = connect(address, token);
  try {
    return await dispatch(connection, invocation, io);
  } catch (error) {
    if (error instanceof ImportFileError) {
      io.stderr.write(`${error.message}\n`);
      return exitUsage;
    }
    if (!isServiceError(error)) throw error;
    io.stderr.write(describeFailure(error, { method: methods[command.name], address, token }));
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
