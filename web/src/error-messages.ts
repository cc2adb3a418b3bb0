import type { FieldViolation } from "./teams-api/field-violations.ts";
import { StatusCode, statusName, type TeamsError } from "./teams-api/teams-error.ts";

export interface ErrorMessage {
  title: string;
  detail: string;
  /** Whether trying again can help (the service may come back), so a Retry button is offered. */
  retryable: boolean;
}

/** What a person reads when a call fails: what happened, and what they can do about it. */
export function describeError(error: TeamsError): ErrorMessage {
  switch (error.code) {
    case StatusCode.UNAVAILABLE:
      return {
        title: "The Teams service is unreachable",
        detail: "Check that the server and the gateway are running, then retry.",
        retryable: true,
      };
    case StatusCode.DEADLINE_EXCEEDED:
      return {
        title: "The Teams service took too long to answer",
        detail: "The call passed its deadline and was stopped. Retry in a moment.",
        retryable: true,
      };
    case StatusCode.INVALID_ARGUMENT:
      return {
        title: "The request was not valid",
        detail: error.fieldViolations[0]
          ? describeViolation(error.fieldViolations[0])
          : error.message,
        retryable: false,
      };
    default:
      return {
        title: `The call failed (${statusName(error.code)})`,
        detail: error.message || "No details were given.",
        retryable: true,
      };
  }
}

/** The violation to show at the city input, if the server rejected the city. */
export function cityViolation(error: TeamsError | null): string | null {
  if (error?.code !== StatusCode.INVALID_ARGUMENT) return null;
  const violation = error.fieldViolations.find((v) => v.field === "city");
  return violation ? describeViolation(violation) : null;
}

/** "City must be 1 to 128 characters…": the field's name, then the server's rule. */
export function describeViolation({ field, description }: FieldViolation): string {
  const sentence = description.toLowerCase().startsWith(field.toLowerCase())
    ? description
    : `${field} ${description}`;
  return sentence.charAt(0).toUpperCase() + sentence.slice(1);
}
