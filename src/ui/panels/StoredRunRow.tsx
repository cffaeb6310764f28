/** One saved run: name (renamable in place), model and data, status and progress, date and size; open, rename, delete. */
import { useState, type FormEvent } from 'react';
import type { StoredRunMeta } from '../../worker/protocol/protocol';
import { bytes, int } from '../format/format';

interface Props {
  meta: StoredRunMeta;
  /** Why it cannot be opened now (a live run holds the worker), or null. Rename works regardless; delete too, except of the run shown. */
  busy: string | null;
  current: boolean;
  /** Another tab is sampling this run now (it holds the run's lock): it cannot be opened or deleted here. */
  elsewhere?: boolean;
  onOpen: () => void;
  onRename: (name: string) => void;
  onDelete: () => void;
}

const STATUS: Record<StoredRunMeta['status'], string> = { sampling: 'interrupted', stopped: 'stopped', complete: 'complete' };

export function StoredRunRow({ meta: m, busy: pageBusy, current, elsewhere = false, onOpen, onRename, onDelete }: Props) {
  const busy = elsewhere ? 'This run is being computed in another tab' : pageBusy;
  const [editing, setEditing] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const save = (event: FormEvent) => {
    event.preventDefault();
    if (editing !== null && editing.trim()) onRename(editing.trim());
    setEditing(null);
  };
  const done = m.trainDone + m.validationDone;
  const total = m.trainTotal + m.validationTotal;
  return (
    <tr data-testid={`stored-run-${m.id}`} data-status={m.status} data-elsewhere={elsewhere ? 'true' : undefined} data-done={done} data-total={total} className={current ? 'current' : ''}>
      <td>
        {editing === null ? <span className="run-name">{m.name}</span> : (
          <form onSubmit={save} className="rename-form">
            <input value={editing} onChange={(e) => setEditing(e.target.value)} onKeyDown={(e) => e.key === 'Escape' && setEditing(null)}
              aria-label="New name" autoFocus data-testid="stored-run-name-input" />
            <button type="submit" data-testid="stored-run-rename-save">Save</button>
          </form>
        )}
      </td>
      <td>{m.modelName}<br /><span className="muted">{m.dataName}</span></td>
      <td className={`status ${elsewhere ? 'elsewhere' : m.status}`}>{elsewhere ? 'running in another tab' : STATUS[m.status]}</td>
      <td className="num">{int(m.trainDone)} / {int(m.trainTotal)} masks<br /><span className="muted">{int(m.validationDone)} / {int(m.validationTotal)} held out</span></td>
      <td><time dateTime={m.updatedAt}>{new Date(m.updatedAt).toLocaleString()}</time></td>
      <td className="num">{bytes(m.bytes)}</td>
      <td className="actions">
        {confirming ? (<>
          <span>Delete “{m.name}”?</span>{' '}
          <button type="button" onClick={() => { setConfirming(false); onDelete(); }} data-testid="stored-run-delete-confirm">Delete</button>{' '}
          <button type="button" onClick={() => setConfirming(false)}>Keep</button>
        </>) : (<>
          <button type="button" onClick={onOpen} disabled={busy !== null} title={busy ?? `Show this run (${int(done)} of ${int(total)} masks done)`} data-testid="stored-run-open">Open</button>{' '}
          <button type="button" onClick={() => setEditing(m.name)} data-testid="stored-run-rename">Rename</button>{' '}
          <button type="button" onClick={() => setConfirming(true)} disabled={elsewhere || (busy !== null && current)} title={elsewhere ? `${busy}: it cannot be deleted here` : busy !== null && current ? `${busy}: the run shown cannot be deleted now` : undefined} data-testid="stored-run-delete">Delete</button>
        </>)}
      </td>
    </tr>
  );
}
