import { describe, expect, it } from 'vitest';
import { bearerTokenFromHeader, sessionTokenFromCookieHeader } from './viewer';

describe('reading credentials from headers', () => {
  it('finds the session cookie among others, decoded', () => {
    expect(sessionTokenFromCookieHeader('theme=dark; kb_session=abc%2Bdef; other=1')).toBe('abc+def');
    expect(sessionTokenFromCookieHeader('theme=dark')).toBeNull();
    expect(sessionTokenFromCookieHeader(undefined)).toBeNull();
  });

  it('a malformed escape in the session cookie is kept as it is (it matches no session), not thrown', () => {
    expect(sessionTokenFromCookieHeader('kb_session=%ZZ')).toBe('%ZZ');
  });

  it('reads a bearer token only from a well-formed Authorization header', () => {
    expect(bearerTokenFromHeader('Bearer tok_123')).toBe('tok_123');
    expect(bearerTokenFromHeader('Basic abc')).toBeNull();
    expect(bearerTokenFromHeader('Bearer two words')).toBeNull();
  });
});
