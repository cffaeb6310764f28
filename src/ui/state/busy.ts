/**
 * What the page is waiting for, in words: every worker request a user action starts is named
 * here, and the busy indicator shows the oldest one still pending after APP_CONFIG.ui.busyAfterMs.
 * Requests with their own progress display (live runs, loading) or that run in the background
 * (the rate estimate) are not named.
 */
import type { RequestType } from '../../worker/protocol/protocol';

export const BUSY_LABELS: Partial<Record<RequestType, string>> = {
  ablate: 'Running the model with those components switched off',
  'dataset-accuracy': 'Measuring the accuracy on the data set',
  'attention-pattern': 'Computing the attention pattern',
  edit: 'Computing the edit',
  'edit-goal': 'Searching the smallest k for the goal',
  evaluate: 'Computing the evaluation views',
  'export-run': 'Saving the run file (.coar)',
  'export-attributions': 'Saving the attributions',
  'export-edited-model': 'Preparing the edited model',
  'import-run': 'Reading the run file',
  'inspect-model': 'Reading the model',
  'inspect-images': 'Reading the images',
  'load-custom': 'Loading your model and images',
  'open-stored-run': 'Opening the saved run',
  'list-runs': 'Listing the saved runs',
  'rename-run': 'Renaming the run',
  'delete-run': 'Deleting the run',
};

export interface PendingRequest {
  id: number;
  type: RequestType;
  /** performance.now() when it was sent. */
  since: number;
}

/** The oldest named request pending for at least `afterMs` at time `now`, or null. */
export function busyWith(pending: readonly PendingRequest[], now: number, afterMs: number): { label: string; type: RequestType; since: number } | null {
  for (const p of pending) {
    const label = BUSY_LABELS[p.type];
    if (label && now - p.since >= afterMs) return { label, type: p.type, since: p.since };
  }
  return null;
}
