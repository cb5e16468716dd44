import type { Metadata } from 'next';
import { loadAccountPage } from '@/server/loaders/account';
import { TokenManager } from '@/components/account/TokenManager';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Sessions and tokens' };

export default async function AccountPage() {
  const { user, tokens, sessions } = await loadAccountPage();
  return (
    <div className="max-w-3xl space-y-4">
      <h1 className="font-serif text-3xl">Account: {user.username}</h1>
      <TokenManager initialTokens={tokens} initialSessions={sessions} />
    </div>
  );
}
