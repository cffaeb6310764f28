import { describe, expect, it } from 'vitest';
import { searchComponents } from '../../src/ui/charts/heatmap-search';
import { DEMO_LAYERS, syntheticLayers } from './synthetic-layers';

describe('finding components by name', () => {
  it('finds one component by its full name, in any case', () => {
    const r = searchComponents(DEMO_LAYERS, 'Stage3_conv#17');
    expect(r.focus).toBe(DEMO_LAYERS[6].offset + 17);
    expect(r.cells).toEqual([DEMO_LAYERS[6].offset + 17]);
    expect(r.message).toContain('stage3_conv#17');
  });

  it('finds layers by a prefix, else by a part of the name, and focuses the first cell', () => {
    const prefix = searchComponents(DEMO_LAYERS, 'block2');
    expect(prefix.layers).toEqual([4, 5]);
    expect(prefix.focus).toBe(DEMO_LAYERS[4].offset);
    const part = searchComponents(DEMO_LAYERS, 'conv');
    expect(part.layers).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(part.cells).toHaveLength(272 - 64);
    expect(part.focus).toBe(0);
    expect(part.message).toMatch(/7 layers .* and 3 more/);
    const exact = searchComponents(syntheticLayers(), 'stem_conv');
    expect(exact.layers).toEqual([0]);
  });

  it('says clearly when nothing matches or a channel does not exist', () => {
    const none = searchComponents(DEMO_LAYERS, 'lstm');
    expect(none.focus).toBeNull();
    expect(none.message).toMatch(/No component or layer matches “lstm”/);
    expect(searchComponents(DEMO_LAYERS, 'stem_conv#16').message).toMatch(/channels 0–15/);
    expect(searchComponents(DEMO_LAYERS, 'stem_conv#x').focus).toBeNull();
    expect(searchComponents(DEMO_LAYERS, 'nothing#3').message).toMatch(/No layer is called “nothing”/);
    expect(searchComponents(DEMO_LAYERS, 'block#3').message).toMatch(/names 4 layers/);
    expect(searchComponents(DEMO_LAYERS, '   ')).toMatchObject({ focus: null, message: '' });
  });

  it('takes a unique part of a layer name before #', () => {
    expect(searchComponents(DEMO_LAYERS, 'head#3').focus).toBe(DEMO_LAYERS[7].offset + 3);
  });
});
