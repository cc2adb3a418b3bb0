// The teams a bench target serves: TEAMS_FILE, a JSON array of {city, nickname}.
import { readFileSync } from "node:fs";
import { requiredEnv } from "./announce.ts";

export interface Team {
  city: string;
  nickname: string;
}

/** TEAMS_FILE's teams by lower-case city. */
export function readTeamsFile(): Map<string, Team> {
  return new Map<string, Team>(
    (JSON.parse(readFileSync(requiredEnv("TEAMS_FILE"), "utf8")) as Team[]).map((t) => [
      t.city.toLowerCase(),
      t,
    ]),
  );
}
