import { describe, expect, it } from 'vitest';
import { guideSteps, NO_PROGRESS } from '../../src/ui/state/guide-steps';
import { GLOSSARY, TERM_IDS } from '../../src/ui/format/glossary';

describe('guided steps', () => {
  it('lists every step in order when nothing is hidden, none done', () => {
    const steps = guideSteps(NO_PROGRESS, [], false);
    expect(steps.map((s) => s.id)).toEqual(['pick', 'read', 'switch-off', 'edit', 'evaluate', 'run']);
    expect(steps.every((s) => !s.done)).toBe(true);
  });

  it('leaves out the steps whose controls a link hides', () => {
    expect(guideSteps(NO_PROGRESS, ['run', 'edit'], false).map((s) => s.id)).toEqual(['pick', 'read', 'switch-off', 'evaluate']);
    expect(guideSteps(NO_PROGRESS, ['eval'], false).some((s) => s.id === 'evaluate')).toBe(false);
  });

  it('ticks steps off from what was done; switching off counts as having read the heatmap', () => {
    const steps = guideSteps({ ...NO_PROGRESS, picked: true, switchedOff: true }, [], false);
    expect(steps.filter((s) => s.done).map((s) => s.id)).toEqual(['pick', 'read', 'switch-off']);
  });

  it('points the edit step at the backdoor preset on a backdoored model', () => {
    const edit = guideSteps(NO_PROGRESS, [], true).find((s) => s.id === 'edit')!;
    expect(edit.targets[0]).toContain('preset-backdoor');
    expect(edit.text).toMatch(/backdoor/);
  });
});

describe('glossary', () => {
  it('explains every term in a sentence or more', () => {
    for (const id of TERM_IDS) expect(GLOSSARY[id].text.length, id).toBeGreaterThan(40);
  });
});
