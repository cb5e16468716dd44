import { describe, expect, it } from 'vitest';
import { reconnectDelay, userColor } from './collab-connection';

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
});
