'use client';

import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { callApi } from '@/components/lib/api-client';

export function CreateGroupForm() {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setError(null);
    try {
      const group = await callApi<{ id: string }>('POST', '/api/groups', { name: new FormData(event.currentTarget).get('name') });
      router.push(`/groups/${group.id}`);
      router.refresh();
    } catch (err) {
      setError((err as Error).message);
    }
  }
  return (
    <form onSubmit={submit} className="bg-white border border-line rounded p-4 space-y-2">
      <h2 className="font-serif text-xl">Create a group</h2>
      {error && <p role="alert" className="text-red-800">{error}</p>}
      <div className="flex flex-wrap items-end gap-2">
        <label className="flex flex-col text-sm">
          <span>Group name</span>
          <input name="name" required minLength={2} maxLength={80} placeholder="e.g. History 101, group B" className="border border-line rounded px-2 py-1" />
        </label>
        <button type="submit" className="bg-accent text-white rounded px-4 py-1.5">Create</button>
      </div>
    </form>
  );
}
