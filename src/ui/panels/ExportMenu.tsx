/** Saving the shown run (run file, attributions as .npy or .csv) and showing a saved run file as the live run. */
import type { RunSlot } from '../../worker/protocol/protocol';
import type { ExportKind } from '../state/use-explorer';

interface Props {
  /** The run shown, or null. */
  slot: RunSlot | null;
  busy: boolean;
  ready: boolean;
  onExportRun: (slot: RunSlot) => void;
  onExportAttributions: (slot: RunSlot, format: 'npy' | 'csv') => void;
  onImport: (file: File) => void;
  /** The file being prepared, or null. */
  exporting?: ExportKind | null;
}

export function ExportMenu({ slot, busy, ready, onExportRun, onExportAttributions, onImport, exporting = null }: Props) {
  const off = busy || slot === null || exporting !== null;
  const label = (kind: ExportKind, text: string) => (exporting === kind ? <><span className="spinner" aria-hidden="true" /> Saving…</> : text);
  const which = slot === 'demo' ? 'precomputed' : 'live';
  return (
    <div className="export-menu" data-testid="export-menu">
      {slot && <span className="muted">The {which} run:</span>}
      <button type="button" onClick={() => slot && onExportRun(slot)} disabled={off} aria-busy={exporting === 'run'} data-testid="run-export">{label('run', 'Run file (.coar)')}</button>
      <button type="button" onClick={() => slot && onExportAttributions(slot, 'npy')} disabled={off} title="n × N float32 array (NumPy)" aria-busy={exporting === 'npy'} data-testid="export-npy">{label('npy', 'Attributions (.npy)')}</button>
      <button type="button" onClick={() => slot && onExportAttributions(slot, 'csv')} disabled={off} title="one row per example, one column per component" aria-busy={exporting === 'csv'} data-testid="export-csv">{label('csv', 'Attributions (.csv)')}</button>
      <label className="file-choice inline">
        <span>Import a run file (.coar):</span>
        <input type="file" accept=".coar,application/octet-stream" disabled={busy || !ready} data-testid="import-run"
          onChange={(e) => { const f = e.target.files?.[0]; if (f) onImport(f); e.target.value = ''; }} />
      </label>
    </div>
  );
}
