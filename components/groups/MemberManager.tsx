'use client';

import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { callApi } from '@/components/lib/api-client';

type Member = { userId: string; username: string; role: 'owner' | 'editor' | 'viewer' };
const ROLES = ['owner', 'editor', 'viewer'] as const;

/** A group's members: owners add people, change roles and remove them; anyone may leave. */
export function MemberManager({ groupId, members: initial, canManage, me }: { groupId: string; members: Member[]; canManage: boolean; me: string }) {
  const router = useRouter();
  const [members, setMembers] = useState(initial);
  const [error, setError] = useState<string | null>(null);

  async function setRole(username: string, role: Member['role']) {
    setError(null);
    try {
      const m = await callApi<Member>('POST', `/api/groups/${groupId}/members`, { username, role });
      setMembers((list) => [...list.filter((x) => x.userId !== m.userId), m].sort((a, b) => a.username.localeCompare(b.username)));
    } catch (err) {
      setError((err as Error).message);
    }
  }

  async function remove(username: string) {
    setError(null);
    try {
      await callApi('DELETE', `/api/groups/${groupId}/members/${encodeURIComponent(username)}`);
      if (username === me) {
        router.push('/groups');
        router.refresh();
        return;
      }
      setMembers((list) => list.filter((x) => x.username !== username));
    } catch (err) {
      setError((err as Error).message);
    }
  }

  async function add(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    await setRole(String(form.get('username')), form.get('role') as Member['role']);
    event.currentTarget?.reset();
  }

  return (
    <div className="space-y-3">
      {error && <p role="alert" className="rounded border border-red-300 bg-red-50 px-3 py-2 text-red-900">{error}</p>}
      <table className="w-full text-sm">
        <thead>
          <tr className="text-left text-muted"><th className="py-1">Member</th><th>Role</th><th><span className="sr-only">Actions</span></th></tr>
        </thead>
        <tbody className="divide-y divide-line">
          {members.map((m) => (
            <tr key={m.userId}>
              <td className="py-1.5">{m.username}{m.username === me && ' (you)'}</td>
              <td>
                {canManage ? (
                  <select aria-label={`Role of ${m.username}`} value={m.role} onChange={(e) => setRole(m.username, e.target.value as Member['role'])} className="border border-line rounded px-1 py-0.5 bg-white">
                    {ROLES.map((r) => <option key={r} value={r}>{r}</option>)}
                  </select>
                ) : (
                  m.role
                )}
              </td>
              <td className="text-right">
                {(canManage || m.username === me) && (
                  <button type="button" onClick={() => remove(m.username)} className="text-red-800 underline">
                    {m.username === me ? 'Leave' : 'Remove'}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {canManage && (
        <form onSubmit={add} className="flex flex-wrap items-end gap-2 border-t border-line pt-3">
          <label className="flex flex-col text-sm">
            <span>Add by username</span>
            <input name="username" required maxLength={32} className="border border-line rounded px-2 py-1" />
          </label>
          <label className="flex flex-col text-sm">
            <span>Role</span>
            <select name="role" defaultValue="editor" className="border border-line rounded px-2 py-1 bg-white">
              {ROLES.map((r) => <option key={r} value={r}>{r}</option>)}
            </select>
          </label>
          <button type="submit" className="bg-accent text-white rounded px-4 py-1.5">Add member</button>
        </form>
      )}
    </div>
  );
}
