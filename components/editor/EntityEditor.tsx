'use client';

import { useEffect, useState, type ReactNode } from 'react';
import type * as Y from 'yjs';
import Link from 'next/link';
import type { EntityType } from '@/components/model/entity-types';
import { connectEntityDoc, type ConnectionStatus } from './collab-connection';
import { userColor } from '@/components/model/user-color';
import { BodyEditor } from './BodyEditor';
import type { LinkHome } from './entity-link-suggestion';
import { FieldsEditor } from './FieldsEditor';
import { StatementsEditor, type Statement } from './StatementsEditor';
import { Presence, statusText } from './Presence';
import { browserStorage, unsentEdits } from './unsent-edits';
import { SaveRevision } from './SaveRevision';
import { useYSnapshot } from './use-y';
import { fieldValue } from '@/components/model/field-text';

type Props = { entityId: string; slug: string; title: string; type: EntityType; username: string; canEdit: boolean; home: LinkHome; children?: ReactNode };

/** The page's heading: "Editing “title”" (or "Live view of"), the title as it is being typed. */
function Heading({ canEdit, title }: { canEdit: boolean; title: string }) {
  return <h1 className="font-serif text-3xl">{canEdit ? 'Editing' : 'Live view of'} “{title}”</h1>;
}

/** The heading with the title read from the doc (until it has one, the title the page was loaded with). */
function LiveHeading({ fields, canEdit, title }: { fields: Y.Map<unknown>; canEdit: boolean; title: string }) {
  const live = useYSnapshot(fields, () => fieldValue('title', fields.get('title')) ?? null);
  return <Heading canEdit={canEdit} title={typeof live === 'string' ? live : title} />;
}

/** The connection's states in which the text's own notice says what becomes of the changes (at first, "Connecting…" shows above, with nothing typed yet). */
const DOWN = new Set<ConnectionStatus>(['reconnecting', 'offline', 'closed']);

/** The live editing view of an entity: body, infobox fields and relations, all in one shared Y.Doc. */
export function EntityEditor({ entityId, slug, title, type, username, canEdit, home, children }: Props) {
  const [connection, setConnection] = useState<ReturnType<typeof connectEntityDoc> | null>(null);
  const [status, setStatus] = useState<{ status: ConnectionStatus; detail?: string }>({ status: 'connecting' });
  // The page is editable once its content has arrived; typed into before, the text would land
  // in an empty page and be merged with the content when it comes.
  const [loaded, setLoaded] = useState(false);
  /** The server refuses this connection's edits, though the page opened editable (the permission was withdrawn). */
  const [refused, setRefused] = useState(false);

  useEffect(() => {
    const unsent = canEdit ? unsentEdits(browserStorage(), username, entityId) : null;
    const c = connectEntityDoc(
      entityId,
      (s, detail) => {
        setStatus({ status: s, detail });
        if (s === 'connected') setLoaded(true);
        else if (s === 'connecting') setLoaded(false); // a new page's connection (another entity)
      },
      { unsent, onReadOnly: () => setRefused(canEdit) },
    );
    const user = { name: username, color: userColor(username) };
    c.provider.awareness.setLocalStateField('user', user);
    // The connection is an external resource made when the page mounts; the state holds it for rendering.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setConnection(c);
    return () => c.destroy();
  }, [entityId, username, canEdit]);

  if (!connection) {
    return (
      <div className="space-y-3">
        <Heading canEdit={canEdit} title={title} />
        {children}
        <p className="text-muted">Connecting…</p>
      </div>
    );
  }
  const user = { name: username, color: userColor(username) };
  const fields = connection.doc.getMap('fields');
  const statements = connection.doc.getArray<Statement>('statements');
  const mayEdit = canEdit && !refused;
  // Closed for good (signed out, access withdrawn, the page full): nothing typed from then on could be saved.
  const editable = mayEdit && loaded && status.status !== 'closed';
  return (
    <div className="space-y-3">
      <LiveHeading fields={fields} canEdit={mayEdit} title={title} />
      {children}
      {refused && (
        <p role="alert" className="rounded border border-amber-300 bg-amber-50 px-3 py-2 text-sm">
          You can no longer edit this page: your permission to edit it was withdrawn. You still see others’ changes live, but what you type here is not saved.
        </p>
      )}
      <div className="flex flex-wrap items-center justify-between gap-2">
        <Presence provider={connection.provider} status={status.status} detail={status.detail} readOnly={!mayEdit} />
        <div className="flex flex-wrap items-center gap-2">
          {mayEdit && <SaveRevision entityId={entityId} connected={status.status === 'connected'} />}
          <Link href={`/wiki/${slug}`} className="rounded border border-line bg-white px-3 py-1.5 text-sm no-underline">Done: view page</Link>
        </div>
      </div>
      <div className="grid grid-cols-[minmax(0,1fr)] gap-4 lg:grid-cols-[minmax(0,1fr)_20rem]">
        <BodyEditor
          doc={connection.doc}
          provider={connection.provider}
          user={user}
          editable={editable}
          home={home}
          notice={DOWN.has(status.status) ? statusText(status.status, !mayEdit, status.detail) : null}
        />
        <aside className="space-y-6 rounded border border-line bg-white p-4">
          <FieldsEditor fields={fields} awareness={connection.provider.awareness} type={type} editable={editable} />
          <StatementsEditor statements={statements} editable={editable} type={type} />
        </aside>
      </div>
    </div>
  );
}
