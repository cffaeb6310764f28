/**
 * The guided path's steps, in order, as data: what each asks, where it happens (selectors the
 * step's button focuses) and when it counts as done. Steps for controls hidden by `hide=` are left
 * out. Pure; tested in Node.
 */
import type { HideKey } from './url-state';

/** What the user has done so far on this page. */
export interface GuideProgress {
  /** An example was picked in the gallery (by the user). */
  picked: boolean;
  /** A heatmap cell was looked at (hovered or focused). */
  read: boolean;
  /** Components are (or were) switched off. */
  switchedOff: boolean;
  /** A COAR-Edit was computed (preset or slider). */
  edited: boolean;
  /** The evaluation views were computed. */
  evaluated: boolean;
  /** A live run finished. */
  ran: boolean;
}

export interface GuideStep {
  id: 'pick' | 'read' | 'switch-off' | 'edit' | 'evaluate' | 'run';
  title: string;
  text: string;
  /** CSS selectors, first match focused. */
  targets: string[];
  done: boolean;
}

export const NO_PROGRESS: GuideProgress = { picked: false, read: false, switchedOff: false, edited: false, evaluated: false, ran: false };

export function guideSteps(p: GuideProgress, hide: readonly HideKey[], backdoor: boolean): GuideStep[] {
  const steps: GuideStep[] = [
    {
      id: 'pick', title: 'Pick an example',
      text: 'Click an image in the gallery; ✗ marks one the model gets wrong.',
      targets: ['[data-testid="gallery"] [aria-selected="true"]'], done: p.picked,
    },
    {
      id: 'read', title: 'Read its heatmap',
      text: 'One cell per component. Blue: keeping it raises the margin; red: keeping it lowers it. Hover or focus a cell for its number.',
      targets: ['[data-testid="heatmap"] [data-testid^="cell-"][tabindex="0"]'], done: p.read || p.switchedOff,
    },
    {
      id: 'switch-off', title: 'Switch components off',
      text: 'Click cells (or press Enter on one), or switch off the top 5: the results appear beside the heatmap, actual margins next to COAR’s prediction.',
      targets: ['[data-testid="ablate-topk"]'], done: p.switchedOff,
    },
  ];
  if (!hide.includes('edit')) {
    steps.push({
      id: 'edit', title: 'Edit the model',
      text: backdoor
        ? 'Use a preset: “Remove the backdoor” switches off the components the trigger relies on, within the allowed damage to clean images.'
        : 'Use a preset: “Fix this error” on a misclassified example, or “Forget this class”; the result counts as a success only within the allowed damage.',
      targets: backdoor ? ['[data-testid="preset-backdoor"]', '[data-testid="preset-fix"]'] : ['[data-testid="preset-fix"]'], done: p.edited,
    });
  }
  if (!hide.includes('eval')) {
    steps.push({
      id: 'evaluate', title: 'Check the attributions',
      text: 'Measure how well they predict margins under switch-offs the fit never saw, beside two simpler methods.',
      targets: ['[data-testid="eval-start"]'], done: p.evaluated,
    });
  }
  if (!hide.includes('run')) {
    steps.push({
      id: 'run', title: 'Re-run live',
      text: 'Change alpha or the number of masks and run the whole analysis in this browser; the time is estimated before you start.',
      targets: ['[data-testid="run-start"]'], done: p.ran,
    });
  }
  return steps;
}
