/** Runs saved in this browser (as they are sampled, so a reload loses nothing): open, rename, delete; storage used. */
import type { StoredRunMeta } from '../../worker/protocol/protocol';
import { bytes, percent } from '../format/format';
import { StoredRunRow } from './StoredRunRow';
import type { RunList } from '../state/use-stored-runs';

interface Props {
  list: RunList | null;
  /** Why runs cannot be opened now, or null. */
  busy: string | null;
  /** The stored id of the live run, if it is saved. */
  currentId: string | null;
  onOpen: (meta: StoredRunMeta) => void;
  onRename: (id: string, name: string) => void;
  onDelete: (id: string) => void;
}

export function RunsList({ list, busy, currentId, onOpen, onRename, onDelete }: Props) {
  return (
    <section className="panel runs-list" data-testid="runs-list" aria-labelledby="runs-title" data-count={list?.runs.length ?? ''}>
      <h2 id="runs-title">Saved runs</h2>
      {!list ? <p className="muted">Looking for runs saved in this browser…</p>
        : !list.available ? <p className="bad" data-testid="runs-unavailable">{list.problem}</p>
          : list.runs.length === 0 ? <p className="muted">No runs saved yet. Live runs are saved here as they go, so a reload or a closed tab can resume them.</p>
            : (
              <div className="table-box">
                <table className="stored-runs">
                  <thead><tr><th>Name</th><th>Model / data</th><th>Status</th><th className="num">Progress</th><th>Updated</th><th className="num">Size</th><th /></tr></thead>
                  <tbody>
                    {list.runs.map((meta) => (
                      <StoredRunRow
                        key={meta.id} meta={meta} busy={busy} current={meta.id === currentId} elsewhere={list.busyElsewhere.includes(meta.id)}
                        onOpen={() => onOpen(meta)} onRename={(name) => onRename(meta.id, name)} onDelete={() => onDelete(meta.id)}
                      />
                    ))}
                  </tbody>
                </table>
              </div>
            )}
      {list?.usage && (
        <p className="muted storage-usage" data-testid="storage-usage">
          This site uses {bytes(list.usage.usage)} of the {bytes(list.usage.quota)} the browser allows ({percent(list.usage.quota ? list.usage.usage / list.usage.quota : null)}).
        </p>
      )}
    </section>
  );
}
