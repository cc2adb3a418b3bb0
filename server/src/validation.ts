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

/** Any C0/C1 control character (tab and newline included): never part of a city or nickname. */
const controlCharacter = /\p{Cc}/u;

/** PutTeam's `city` and `nickname`: 1 to 128 characters once trimmed, no control characters. */
export function checkName(field: string, value: string): FieldViolation | undefined {
  const trimmed = value.trim();
  const length = charCount(trimmed);
  if (length < 1 || length > maxCityChars) {
    return {
      field,
      description: `must be 1 to ${maxCityChars} characters after trimming spaces, got ${length}`,
    };
  }
  const control = controlCharacter.exec(trimmed);
  if (control) {
    const code = control[0].codePointAt(0)?.toString(16).toUpperCase().padStart(4, "0");
    return { field, description: `must not contain control characters, found U+${code}` };
  }
  return undefined;
}

/** Every rule a PutTeam request (or an import row) breaks, one violation per field. */
export function checkPut(request: { city: string; nickname: string }): FieldViolation[] {
  return [checkName("city", request.city), checkName("nickname", request.nickname)].filter(
    (violation): violation is FieldViolation => violation !== undefined,
  );
}
