/** A stable hue (0–359) per user name: carets, avatars and authorship highlights share it. */
export function userHue(name: string): number {
  let hash = 0;
  for (const ch of name) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return hash % 360;
}

/** `hsl(h s% l%)` as `#rrggbb` (CSS Color 4's conversion). */
function hslToHex(h: number, s: number, l: number): string {
  const a = s * Math.min(l, 1 - l);
  const channel = (n: number) => {
    const k = (n + h / 30) % 12;
    const value = l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1));
    return Math.round(value * 255).toString(16).padStart(2, '0');
  };
  return `#${channel(0)}${channel(8)}${channel(4)}`;
}

/**
 * A readable, stable colour per user name (for carets and avatars), dark enough for white text
 * (contrast ≥ 4.5:1 at every hue). As `#rrggbb`: the caret extension draws no other form (it
 * makes anything else transparent, and the label's white name with it).
 */
export function userColor(name: string): string {
  return hslToHex(userHue(name), 0.7, 0.27);
}

/** Whether `color` is one the caret extension draws (`#rrggbb`; it makes any other transparent). */
export function isCaretColor(color: unknown): color is string {
  return typeof color === 'string' && /^#[0-9a-f]{6}$/i.test(color);
}

/** The same user's light tint, a background for dark text (authorship highlights). */
export function userTint(name: string): string {
  return `hsl(${userHue(name)} 85% 88%)`;
}
