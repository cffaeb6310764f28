/** A paper-scale stand-in for a run's layers: 20 layers of 64–256 channels, 2,304 components. */
import type { LayerRow } from '../../src/ui/charts/heatmap-data';

export function syntheticLayers(): LayerRow[] {
  const counts = [64, 64, 64, 64, 64, 128, 64, 128, 64, 128, 64, 128, 256, 64, 256, 64, 256, 64, 256, 64];
  let offset = 0;
  return counts.map((count, r) => {
    const row = { name: r === 0 ? 'stem_conv' : `stage${1 + Math.floor(r / 5)}/block${r % 5}/conv${1 + (r % 2)}`, className: 'Conv2D', count, offset };
    offset += count;
    return row;
  });
}

/** Values that vary in sign and size, so colours and the strongest list have something to show. */
export function syntheticValues(n: number): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => Math.sin(i * 1.7) * (1 + (i % 37) / 10));
}

/** The demo preset's layers (272 components). */
export const DEMO_LAYERS: LayerRow[] = [
  ['stem_conv', 16], ['block1_a_conv', 16], ['block1_b_conv', 16], ['stage2_conv', 32],
  ['block2_a_conv', 32], ['block2_b_conv', 32], ['stage3_conv', 64], ['head_dense', 64],
].reduce<LayerRow[]>((rows, [name, count]) => {
  const offset = rows.length ? rows[rows.length - 1].offset + rows[rows.length - 1].count : 0;
  return [...rows, { name: name as string, className: name === 'head_dense' ? 'Dense' : 'Conv2D', count: count as number, offset }];
}, []);
