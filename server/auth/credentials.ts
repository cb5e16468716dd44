import { hash, verify } from '@node-rs/argon2';

export const USERNAME_RULES = 'Usernames are 3–32 characters: letters, digits, dot, dash or underscore, starting with a letter or digit.';
const USERNAME = /^[\p{L}\p{N}][\p{L}\p{N}._-]{2,31}$/u;

/** Why a username is not acceptable, or null when it is. */
export function usernameProblem(username: string): string | null {
  return USERNAME.test(username) ? null : USERNAME_RULES;
}

/** Why a password is not acceptable, or null when it is. */
export function passwordProblem(password: string, username: string): string | null {
  if (password.length < 10) return 'The password must be at least 10 characters long.';
  if (password.length > 200) return 'The password must be at most 200 characters long.';
  if (new Set(password).size < 4) return 'The password must use at least 4 different characters.';
  if (password.toLowerCase().includes(username.toLowerCase())) return 'The password must not contain the username.';
  return null;
}

/** argon2id with the library's defaults (19 MiB, 2 passes). */
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** A hash to verify against when the user does not exist, so both paths take as long. */
let dummy: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummy ??= hash('not-a-real-password-for-timing');
  return dummy;
}
