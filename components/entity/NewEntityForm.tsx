'use client';

import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { callApi } from '@/components/lib/api-client';
import { ENTITY_TYPES, TYPE_INFO } from '@/components/model/entity-types';

type Group = { id: string; name: string };

/** Creates a page: type, title, and where it lives (the commons or one of the user's groups). */
export function NewEntityForm({ groups, defaultGroup, defaultTitle }: { groups: Group[]; defaultGroup: string; defaultTitle: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [group, setGroup] = useState(defaultGroup);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setError(null);
    try {
      const created = await callApi<{ slug: string }>('POST', '/api/entities', {
        type: form.get('type'),
        title: form.get('title'),
        groupId: group || null,
        visibility: group ? form.get('visibility') : 'public',
      });
      router.push(`/wiki/${created.slug}`);
      router.refresh();
    } catch (err) {
      setError((err as Error).message);
    }
  }

  return (
    <form onSubmit={submit} className="bg-white border border-line rounded p-6 space-y-4 max-w-lg">
      <h1 className="font-serif text-3xl">New page</h1>
      {error && <p role="alert" className="rounded border border-red-300 bg-red-50 px-3 py-2 text-red-900">{error}</p>}
      <label className="block">
        <span className="block text-sm font-medium">Title</span>
        <input name="title" required maxLength={200} defaultValue={defaultTitle} autoFocus className="mt-1 w-full border border-line rounded px-3 py-2" />
      </label>
      <label className="block">
        <span className="block text-sm font-medium">Type</span>
        <select name="type" defaultValue="person" className="mt-1 w-full border border-line rounded px-3 py-2 bg-white">
          {ENTITY_TYPES.map((t) => <option key={t} value={t}>{TYPE_INFO[t].label}</option>)}
        </select>
      </label>
      <label className="block">
        <span className="block text-sm font-medium">Belongs to</span>
        <select value={group} onChange={(e) => setGroup(e.target.value)} className="mt-1 w-full border border-line rounded px-3 py-2 bg-white">
          <option value="">The commons (any signed-in user can edit)</option>
          {groups.map((g) => <option key={g.id} value={g.id}>Group: {g.name}</option>)}
        </select>
      </label>
      {group && (
        <fieldset className="space-y-1">
          <legend className="text-sm font-medium">Who can read it</legend>
          <label className="flex items-center gap-2"><input type="radio" name="visibility" value="public" defaultChecked /> Everyone</label>
          <label className="flex items-center gap-2"><input type="radio" name="visibility" value="group" /> Only the group’s members</label>
        </fieldset>
      )}
      <button type="submit" className="bg-accent text-white rounded px-4 py-2">Create page</button>
    </form>
  );
}
