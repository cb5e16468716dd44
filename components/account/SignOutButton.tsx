'use client';

import { useRouter } from 'next/navigation';
import { callApi } from '@/components/lib/api-client';
import { browserStorage, forgetAllUnsentEdits, unsentEditCount } from '@/components/editor/unsent-edits';

export function SignOutButton() {
  const router = useRouter();
  return (
    <button
      type="button"
      className="block w-full px-3 py-1.5 text-left text-accent hover:bg-wash"
      onClick={async () => {
        const storage = browserStorage();
        const pages = unsentEditCount(storage);
        const lose = `Changes you made offline on ${pages === 1 ? 'one page have' : `${pages} pages have`} not reached the server yet. Signing out removes them from this device. Sign out anyway?`;
        if (pages > 0 && !window.confirm(lose)) return;
        await callApi('POST', '/api/auth/logout').catch(() => {});
        forgetAllUnsentEdits(storage); // a shared computer keeps nobody's text
        router.push('/');
        router.refresh();
      }}
    >
      Sign out
    </button>
  );
}
