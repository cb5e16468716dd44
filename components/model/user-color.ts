/** A stable hue (0–359) per user name: carets, avatars and authorship highlights share it. */
export function userHue(name: string): number {
  let hash = 0;
  for (const ch of name) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return hash % 360;
}

/** A readable, stable colour per user name (for carets and avatars), dark enough for white text (contrast ≥ 4.5:1 at every hue). */
export function userColor(name: string): string {
  return `hsl(${userHue(name)} 70% 27%)`;
}

/** The same user's light tint, a background for dark text (authorship highlights). */
export function userTint(name: string): string {
  return `hsl(${userHue(name)} 85% 88%)`;
}
