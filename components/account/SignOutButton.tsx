'use client';

import { useRouter } from 'next/navigation';
import { callApi } from '@/components/lib/api-client';

export function SignOutButton() {
  const router = useRouter();
  return (
    <button
      type="button"
      className="block w-full px-3 py-1.5 text-left text-accent hover:bg-wash"
      onClick={async () => {
        await callApi('POST', '/api/auth/logout').catch(() => {});
        router.push('/');
        router.refresh();
      }}
    >
      Sign out
    </button>
  );
}
