'use client';

import { useState, type FormEvent } from 'react';
import { callApi } from '@/components/lib/api-client';

type Group = { id: string; name: string };
type Settings = { groupId: string | null; visibility: string; protected: boolean };

/** Who owns a page, who reads it, and whether it is protected: shown to everyone, changeable by its managers. */
export function EntitySettings({ entityId, current, groups, isAdmin }: { entityId: string; current: Settings; groups: Group[]; isAdmin: boolean }) {
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [groupId, setGroupId] = useState(current.groupId ?? '');

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setError(null);
    setSaved(false);
    try {
      await callApi('PATCH', `/api/entities/${entityId}`, {
        groupId: groupId || null,
        visibility: groupId ? form.get('visibility') : 'public',
        ...(isAdmin ? { protected: form.get('protected') === 'on' } : {}),
      });
      setSaved(true);
      window.location.reload();
    } catch (err) {
      setError((err as Error).message);
    }
  }

  return (
    <details className="text-sm">
      <summary className="cursor-pointer text-accent">Change ownership and visibility</summary>
      <form onSubmit={submit} className="mt-2 space-y-2 rounded border border-line bg-wash p-3">
        {error && <p role="alert" className="text-red-800">{error}</p>}
        {saved && <p role="status">Saved.</p>}
        <label className="block">
          <span className="block font-medium">Belongs to</span>
          <select value={groupId} onChange={(e) => setGroupId(e.target.value)} className="mt-1 border border-line rounded px-2 py-1 bg-white">
            <option value="">The commons</option>
            {groups.map((g) => <option key={g.id} value={g.id}>Group: {g.name}</option>)}
          </select>
        </label>
        {groupId && (
          <fieldset>
            <legend className="font-medium">Readable by</legend>
            <label className="mr-4"><input type="radio" name="visibility" value="public" defaultChecked={current.visibility !== 'group'} /> everyone</label>
            <label><input type="radio" name="visibility" value="group" defaultChecked={current.visibility === 'group'} /> the group’s members only</label>
          </fieldset>
        )}
        {isAdmin && (
          <label className="flex items-center gap-2">
            <input type="checkbox" name="protected" defaultChecked={current.protected} /> Protected (only site admins can edit)
          </label>
        )}
        <button type="submit" className="bg-accent text-white rounded px-3 py-1">Save settings</button>
      </form>
    </details>
  );
}
