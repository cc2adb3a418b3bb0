// An import's progress on a terminal: one line on stderr, redrawn at most ten times
// a second, erased at the end. Nothing at all when stderr is not a terminal.
import type { Writable } from "node:stream";

const width = 30;
const redrawMs = 100;

export class ProgressBar {
  private lastDraw = 0;
  private drawn = false;

  constructor(private readonly out: Writable & { isTTY?: boolean }) {}

  /** `fraction` of the work (0 to 1) is done, `rows` sent so far. */
  update(fraction: number, rows: number): void {
    if (!this.out.isTTY) return;
    const now = Date.now();
    if (now - this.lastDraw < redrawMs && fraction < 1) return;
    this.lastDraw = now;
    const filled = Math.round(Math.min(1, Math.max(0, fraction)) * width);
    const percent = Math.floor(fraction * 100);
    const bar = `${"#".repeat(filled)}${"-".repeat(width - filled)}`;
    this.out.write(`\r[${bar}] ${percent}% ${rows.toLocaleString("en-US")} rows sent\x1b[K`);
    this.drawn = true;
  }

  /** Erases the line, so the summary that follows starts clean. */
  finish(): void {
    if (this.drawn) this.out.write("\r\x1b[K");
    this.drawn = false;
  }
}
