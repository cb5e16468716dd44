import { describe, expect, it } from 'vitest';
import { reconnectDelay } from './collab-connection';
import { userColor, userHue } from '@/components/model/user-color';

describe('reconnect backoff', () => {
  it('grows exponentially up to a cap, with full jitter', () => {
    expect(reconnectDelay(0, 250, 10_000, () => 1)).toBe(250);
    expect(reconnectDelay(3, 250, 10_000, () => 1)).toBe(2000);
    expect(reconnectDelay(20, 250, 10_000, () => 1)).toBe(10_000);
    expect(reconnectDelay(3, 250, 10_000, () => 0.5)).toBe(1000);
    expect(reconnectDelay(3, 250, 10_000, () => 0)).toBe(0);
  });

  it('gives each user one stable colour', () => {
    expect(userColor('alice')).toBe(userColor('alice'));
    expect(userColor('alice')).not.toBe(userColor('bob'));
  });

  it('makes every colour dark enough for white initials and caret labels (WCAG AA, 4.5:1), as #rrggbb (the only form carets are drawn in)', () => {
    // Names hashing to every hue: the brightest (yellow, hue 60) is the hardest case.
    const byHue = new Map<number, string>();
    for (let i = 0; byHue.size < 360 && i < 100_000; i++) byHue.set(userHue(`user${i}`), userColor(`user${i}`));
    expect(byHue.size).toBe(360);
    for (const color of byHue.values()) {
      expect(color).toMatch(/^#[0-9a-f]{6}$/);
      expect(contrastWithWhite(color)).toBeGreaterThanOrEqual(4.5);
    }
    expect(userColor('')).toBe('#751515'); // hue 0: hsl(0 70% 27%)
  });
});

/** WCAG contrast ratio of white against a `#rrggbb` colour. */
function contrastWithWhite(hex: string): number {
  const channel = (i: number) => {
    const c = parseInt(hex.slice(1 + 2 * i, 3 + 2 * i), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2);
  return 1.05 / (luminance + 0.05);
}
