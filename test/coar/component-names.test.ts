import { describe, expect, it } from 'vitest';
import { componentName, componentNames, componentsByName, findComponent, locateComponent, parseComponentName } from '../../src/coar/component-names';
import { cellOf } from '../../src/ui/charts/heatmap-data';

// Three layers: conv#0–3 (offset 0), blk#a#0–1 (a '#' in the layer name), dense#0–2.
const layers = [
  { name: 'conv', className: 'Conv2D', count: 4, offset: 0 },
  { name: 'blk#a', className: 'Dense', count: 2, offset: 4 },
  { name: 'dense', className: 'Dense', count: 3, offset: 6 },
];
const index = { layers, count: 9 };

describe('component names (tfjs-free core)', () => {
  it('names every component layer#index in global order, and parses the names back', () => {
    const names = componentNames(index);
    expect(names).toEqual(['conv#0', 'conv#1', 'conv#2', 'conv#3', 'blk#a#0', 'blk#a#1', 'dense#0', 'dense#1', 'dense#2']);
    names.forEach((name, i) => {
      expect(parseComponentName(index, name)).toBe(i);
      expect(componentName(index, i)).toBe(name);
    });
  });

  it('locates a component by binary search, with its layer position', () => {
    expect(locateComponent(index, 0)).toMatchObject({ channel: 0, layerIndex: 0 });
    expect(locateComponent(index, 5)).toMatchObject({ layer: { name: 'blk#a' }, channel: 1, layerIndex: 1 });
    expect(locateComponent(index, 8)).toMatchObject({ layer: { name: 'dense' }, channel: 2, layerIndex: 2 });
    for (const bad of [-1, 9, 1.5, Number.NaN]) expect(() => locateComponent(index, bad)).toThrow(/does not exist/);
  });

  it('refuses names no component has (the CLI), and returns them apart (share links)', () => {
    for (const bad of ['conv#4', 'conv', '#1', 'conv#x', 'conv#-1', 'nope#0', 'conv#1.0', '']) {
      expect(findComponent(index, bad)).toBeUndefined();
      expect(() => parseComponentName(index, bad)).toThrow(/Unknown component .*e\.g\. conv#0/);
    }
    expect(componentsByName(index, ['dense#1', 'conv#9', 'conv#01', 'x'])).toEqual({ indices: [7, 1], unknown: ['conv#9', 'x'] });
  });

  it("the heatmap's cells come from the same search (row 0, column 0 for no component)", () => {
    expect(cellOf(layers, 5)).toEqual({ row: 1, col: 1 });
    expect(cellOf(layers, -1)).toEqual({ row: 0, col: 0 });
    expect(cellOf([layers[2]], 7)).toEqual({ row: 0, col: 1 });
    expect(cellOf([layers[2]], 2)).toEqual({ row: 0, col: 0 });
  });
});
