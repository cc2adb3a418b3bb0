import { charCount, maxCityChars } from "./team-record.ts";

/** A request field that breaks a rule; becomes a google.rpc.BadRequest.FieldViolation. */
export type FieldViolation = { field: string; description: string };

/** GetTeam's `city`: 1 to 128 characters once trimmed. */
export function checkCity(city: string): FieldViolation | undefined {
  const length = charCount(city.trim());
  if (length >= 1 && length <= maxCityChars) return undefined;
  return {
    field: "city",
    description: `must be 1 to ${maxCityChars} characters after trimming spaces, got ${length}`,
  };
}

/** ListTeams' `prefix`: may be empty (all teams), at most 128 characters once trimmed. */
export function checkPrefix(prefix: string): FieldViolation | undefined {
  const length = charCount(prefix.trim());
  if (length <= maxCityChars) return undefined;
  return {
    field: "prefix",
    description: `must be at most ${maxCityChars} characters after trimming spaces, got ${length}`,
  };
}
