import { describe, expect, it } from 'vitest';
import { reconnectDelay } from './collab-connection';
import { userColor } from '@/components/model/user-color';

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

  it('makes every colour dark enough for white initials and caret labels (WCAG AA, 4.5:1)', () => {
    // Names hashing to every hue: the brightest (yellow, hue 60) is the hardest case.
    const byHue = new Map<string, string>();
    for (let i = 0; byHue.size < 360 && i < 100_000; i++) byHue.set(userColor(`user${i}`).split(' ')[0], userColor(`user${i}`));
    expect(byHue.size).toBe(360);
    for (const color of byHue.values()) expect(contrastWithWhite(color)).toBeGreaterThanOrEqual(4.5);
  });
});

/** WCAG contrast ratio of white against a CSS `hsl(h s% l%)` colour. */
function contrastWithWhite(hsl: string): number {
  const [h, s, l] = hsl.match(/[\d.]+/g)!.map(Number);
  const a = (s / 100) * Math.min(l / 100, 1 - l / 100);
  const channel = (n: number) => {
    const k = (n + h / 30) % 12;
    const c = l / 100 - a * Math.max(-1, Math.min(k - 3, 9 - k, 1));
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * channel(0) + 0.7152 * channel(8) + 0.0722 * channel(4);
  return 1.05 / (luminance + 0.05);
}
