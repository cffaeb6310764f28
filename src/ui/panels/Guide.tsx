/**
 * The guided path on the first screen: numbered steps from picking an example to editing the model.
 * Each step's button takes the keyboard focus to where the step happens (and scrolls it into view);
 * steps tick off as they are done, the next one is highlighted. The steps can be hidden and shown
 * again (the choice is remembered in this browser). Steps for controls a link hides are left out.
 */
import { useState } from 'react';
import { guideSteps, type GuideProgress, type GuideStep } from '../state/guide-steps';
import type { HideKey } from '../state/url-state';

interface Props {
  progress: GuideProgress;
  hide: readonly HideKey[];
  /** The preset shows a backdoored model (its edit step says so). */
  backdoor: boolean;
  open: boolean;
  onClose: () => void;
}

/** Moves the focus to the first element matching one of the selectors, scrolled into view, and flashes it. */
export function focusStepTarget(step: GuideStep): boolean {
  for (const selector of step.targets) {
    const el = document.querySelector<HTMLElement>(selector);
    if (!el || (el as HTMLButtonElement).disabled) continue;
    el.scrollIntoView({ block: 'center', inline: 'nearest' });
    el.focus({ preventScroll: true });
    el.classList.add('guide-flash');
    setTimeout(() => el.classList.remove('guide-flash'), 1600);
    return true;
  }
  return false;
}

export function Guide({ progress, hide, backdoor, open, onClose }: Props) {
  // The step whose instructions are shown: the one last chosen, else the first not done.
  const [chosen, setChosen] = useState<GuideStep['id'] | null>(null);
  if (!open) return null;
  const steps = guideSteps(progress, hide, backdoor);
  const current = steps.findIndex((s) => !s.done);
  const shown = steps.find((s) => s.id === chosen) ?? steps[current] ?? steps[steps.length - 1];
  const number = steps.indexOf(shown) + 1;
  const close = () => {
    onClose();
    // The focus goes to the button that shows the steps again.
    requestAnimationFrame(() => document.querySelector<HTMLElement>('[data-testid="guide-open"]')?.focus());
  };
  return (
    <section className="guide" aria-labelledby="guide-title" data-testid="guide">
      <h2 id="guide-title" className="guide-title">Start here <span className="muted">({steps.filter((s) => s.done).length}/{steps.length})</span></h2>
      <ol className="guide-steps">
        {steps.map((s, i) => (
          <li key={s.id} className={`guide-step${s.done ? ' done' : ''}${i === current ? ' current' : ''}${s === shown ? ' shown' : ''}`} data-testid={`guide-step-${s.id}`} data-done={s.done}>
            <button type="button" onClick={() => { setChosen(s.id); focusStepTarget(s); }} aria-current={i === current ? 'step' : undefined} title={s.text}>
              <span className="guide-number" aria-hidden="true">{s.done ? '✓' : i + 1}</span>
              <span>{s.title}{s.done && <span className="visually-hidden"> (done)</span>}</span>
            </button>
          </li>
        ))}
      </ol>
      <p className="guide-text" data-testid="guide-text" aria-live="polite"><strong>Step {number}:</strong> {shown.text}</p>
      <button type="button" className="link guide-close" onClick={close} data-testid="guide-close">Hide steps</button>
    </section>
  );
}
