import { redirect } from 'next/navigation';

/** The history form's target: compare two picked revisions (older → newer). */
export default async function ComparePage({ searchParams }: { searchParams: Promise<{ from?: string; to?: string }> }) {
  const { from, to } = await searchParams;
  if (!from || !to) redirect('/');
  redirect(`/revisions/${encodeURIComponent(to)}/diff?against=${encodeURIComponent(from)}`);
}
