import { describe, expect, it } from 'vitest';
import { readUrlPresets } from '../../src/ui/state/url-state';
import { DEFAULT_VIEW, readViewParams, withViewParams } from '../../src/ui/state/view-url';

describe('view settings in the address', () => {
  it('round-trips the heatmap mode, the zoomed layer and the allowed damage', () => {
    const href = withViewParams('https://example.org/coar/?preset=demo&example=4', { mode: 'class', zoom: 'stage3_conv', budget: 0.125 });
    const q = new URL(href).searchParams;
    expect([q.get('preset'), q.get('example'), q.get('view'), q.get('zoom'), q.get('budget')]).toEqual(['demo', '4', 'class', 'stage3_conv', '12.5']);
    expect(readViewParams(q)).toEqual({ view: { mode: 'class', zoom: 'stage3_conv', budget: 0.125 }, problems: [] });
  });

  it('writes nothing for the defaults', () => {
    expect(withViewParams('https://example.org/?preset=demo', DEFAULT_VIEW)).toBe('https://example.org/?preset=demo');
  });

  it('reports values it ignores, in the page’s words', () => {
    const p = readUrlPresets('?view=everything&budget=250');
    expect(p.view).toEqual(DEFAULT_VIEW);
    expect(p.problems).toEqual([
      'Ignored view=everything in the address: the heatmap shows example, class, all.',
      'Ignored budget=250 in the address: the allowed damage is in accuracy points, from 0 to 100.',
    ]);
  });
});
