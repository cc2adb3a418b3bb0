import { readFileSync } from "node:fs";
import {
  findNodeAtLocation,
  type Node,
  type ParseError,
  parseTree,
  printParseErrorCode,
} from "jsonc-parser";
import { charCount, cityKey, maxCityChars, type TeamRecord } from "./team-record.ts";

/** A teams file that cannot be served; the message reads `file:line: entry N: reason`. */
export class TeamsFileError extends Error {
  override name = "TeamsFileError";
}

/** A problem found in the parsed file, located later (see `locate`). */
type Problem = { entry?: number; field?: string; reason: string };

/**
 * Reads a teams file: a JSON array of `{"city": "...", "nickname": "..."}`.
 * Throws TeamsFileError naming the line and the rule for the first bad entry,
 * so a typo is fixed in one go instead of served.
 *
 * The happy path is plain JSON.parse (a million teams load in about a second); only
 * a bad file is parsed again with jsonc-parser, which keeps offsets, to find the line.
 */
export function loadTeamsFile(path: string): TeamRecord[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new TeamsFileError(`${path}: cannot read the teams file: ${(error as Error).message}`);
  }
  return parseTeams(text, path);
}

/** Parses and checks the text of a teams file; `source` names it in errors. */
export function parseTeams(text: string, source: string): TeamRecord[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new TeamsFileError(syntaxErrorMessage(text, source));
  }
  const result = checkTeams(data);
  if ("reason" in result) throw new TeamsFileError(locate(text, source, result));
  return result.teams;
}

/** Checks records given in code by the same rules as a file; `source` names them in errors. */
export function checkTeamRecords(teams: readonly TeamRecord[], source: string): TeamRecord[] {
  const result = checkTeams(teams);
  if (!("reason" in result)) return result.teams;
  const where = result.entry === undefined ? "" : ` entry ${result.entry}:`;
  throw new TeamsFileError(`${source}:${where} ${result.reason}`);
}

function checkTeams(data: unknown): { teams: TeamRecord[] } | Problem {
  if (!Array.isArray(data)) {
    return { reason: 'must be a JSON array of {"city": ..., "nickname": ...} objects' };
  }
  if (data.length === 0) return { reason: "lists no teams; give at least one" };
  const teams: TeamRecord[] = [];
  const firstEntryByKey = new Map<string, number>();
  for (let index = 0; index < data.length; index++) {
    const entry = index + 1;
    const problem = checkEntry(data[index]);
    if (problem) return { entry, ...problem };
    const team = data[index] as TeamRecord;
    const key = cityKey(team.city);
    const first = firstEntryByKey.get(key);
    if (first !== undefined) {
      return {
        entry,
        field: "city",
        reason: `duplicate city "${team.city.trim()}" (entry ${first} has it)`,
      };
    }
    firstEntryByKey.set(key, entry);
    teams.push({ city: team.city.trim(), nickname: team.nickname.trim() });
  }
  return { teams };
}

function checkEntry(value: unknown): Omit<Problem, "entry"> | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { reason: 'must be an object {"city": ..., "nickname": ...}' };
  }
  const record = value as Record<string, unknown>;
  for (const field of Object.keys(record)) {
    if (field !== "city" && field !== "nickname") {
      return { field, reason: `unknown field "${field}"; only "city" and "nickname" are allowed` };
    }
  }
  const { city, nickname } = record;
  if (typeof city !== "string") return { field: "city", reason: '"city" must be a string' };
  const length = charCount(city.trim());
  if (length < 1 || length > maxCityChars) {
    return {
      field: "city",
      reason: `"city" must be 1 to ${maxCityChars} characters after trimming spaces, got ${length}`,
    };
  }
  if (typeof nickname !== "string" || nickname.trim() === "") {
    return { field: "nickname", reason: '"nickname" must be a non-empty string' };
  }
  return undefined;
}

/** `file:line: entry N: reason`, the line being that of the field at fault, else of the entry. */
function locate(text: string, source: string, problem: Problem): string {
  const root = parseTree(text);
  let node: Node | undefined = root;
  if (root && problem.entry !== undefined) {
    const entryPath = [problem.entry - 1];
    node = findNodeAtLocation(root, entryPath);
    const fieldNode = problem.field && node ? findNodeAtLocation(node, [problem.field]) : undefined;
    // Point at the key ("nickname": ...) rather than the value, which may be on the next line.
    node = fieldNode?.parent ?? node;
  }
  const line = lineOf(text, node?.offset ?? 0);
  const where = problem.entry === undefined ? "" : ` entry ${problem.entry}:`;
  return `${source}:${line}:${where} ${problem.reason}`;
}

function syntaxErrorMessage(text: string, source: string): string {
  const errors: ParseError[] = [];
  parseTree(text, errors, { disallowComments: true, allowTrailingComma: false });
  const first = errors[0];
  if (!first) return `${source}:1: not valid JSON`;
  return `${source}:${lineOf(text, first.offset)}: not valid JSON: ${printParseErrorCode(first.error)}`;
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) line++;
  return line;
}
