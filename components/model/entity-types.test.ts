import { describe, expect, it } from 'vitest';
import { infoboxOrder } from './entity-types';

describe('infoboxOrder', () => {
  it('lists title, other names, then the type’s fields in the infobox’s order, and unknown keys last by name', () => {
    const keys = ['zeta', 'status', 'aliases', 'place', 'alpha', 'signed', 'title'];
    expect(keys.toSorted(infoboxOrder('treaty'))).toEqual(['title', 'aliases', 'signed', 'place', 'status', 'alpha', 'zeta']);
    expect(['died', 'born', 'title'].toSorted(infoboxOrder('person'))).toEqual(['title', 'born', 'died']);
  });
});
