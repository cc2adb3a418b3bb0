import type { Locator } from "playwright-core";

/** The focus outline a keyboard user sees on an element, and its contrast with the page. */
export interface FocusRing {
  widthPx: number;
  /** WCAG contrast ratio of the outline's color against white (the cards' background). */
  contrastWithWhite: number;
}

/** Focuses the element as a keyboard would and reads its `:focus-visible` outline. */
export async function focusRing(element: Locator): Promise<FocusRing> {
  await element.focus();
  const { width, color } = await element.evaluate((node) => {
    const style = getComputedStyle(node);
    return { width: style.outlineWidth, color: style.outlineColor };
  });
  return { widthPx: Number.parseFloat(width), contrastWithWhite: contrast(color) };
}

// https://www.w3.org/TR/WCAG22/#dfn-contrast-ratio, for an rgb() color against white.
function contrast(rgb: string): number {
  const [r = 0, g = 0, b = 0] = (rgb.match(/\d+(\.\d+)?/g) ?? []).map(Number);
  const linear = (channel: number): number => {
    const c = channel / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
  return 1.05 / (luminance + 0.05);
}
