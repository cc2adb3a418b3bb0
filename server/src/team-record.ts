/** One team of the directory, as stored in a teams file. */
export type TeamRecord = { city: string; nickname: string };

/** Longest city or prefix accepted, in characters (Unicode code points) after trimming. */
export const maxCityChars = 128;

/**
 * The lookup key of a city: surrounding spaces dropped, case folded, so
 * " chicago " and "Chicago" find the same team. NFC first so that a composed and a
 * decomposed "é" are the same key.
 */
export function cityKey(city: string): string {
  return city.trim().normalize("NFC").toLowerCase();
}

/** Length in characters (code points, not UTF-16 units), as the 128 limit counts them. */
export function charCount(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}
