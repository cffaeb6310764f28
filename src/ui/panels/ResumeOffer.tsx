/** On load: a run that was still sampling (the tab closed or reloaded) or was stopped can go on where it stopped. */
import type { StoredRunMeta } from '../../worker/protocol/protocol';
import { int } from '../format/format';

interface Props {
  meta: StoredRunMeta;
  busy: boolean;
  onAccept: () => void;
  onDismiss: () => void;
}

export function ResumeOffer({ meta, busy, onAccept, onDismiss }: Props) {
  const done = meta.trainDone + meta.validationDone;
  const total = meta.trainTotal + meta.validationTotal;
  return (
    <div className="offer" role="region" aria-label="Resume a run" data-testid="resume-offer" data-run={meta.id} data-done={done} data-total={total}>
      <span>
        Your run <strong>{meta.name}</strong> ({meta.modelName}) stopped at {int(done)} of {int(total)} masks. Resume it?
        <span className="muted"> Only the missing masks are computed.</span>
      </span>
      <span className="offer-actions">
        <button type="button" className="primary" onClick={onAccept} disabled={busy} data-testid="resume-offer-accept">Resume</button>{' '}
        <button type="button" onClick={onDismiss} data-testid="resume-offer-dismiss">Dismiss</button>
      </span>
    </div>
  );
}
