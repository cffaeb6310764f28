/**
 * A shared link's view: once the first run of the linked model is shown, select the linked
 * example, switch off the linked components (by name), show the linked heatmap mode and zoom into
 * the linked layer. Values that do not fit the run are reported, never guessed.
 */
import { useEffect, useRef } from 'react';
import type { RunView, WorkspaceSource } from '../../worker/protocol/protocol';
import { componentsByName } from './share-url';
import type { Tone } from './use-messages';
import type { HeatmapMode } from '../charts/heatmap-data';
import type { UrlPresets } from './url-state';

interface Target {
  run: RunView | null;
  source: WorkspaceSource | null;
  setSelected: (j: number) => void;
  ablate: (components: number[]) => void;
  setMode: (mode: HeatmapMode) => void;
  setZoom: (layer: string | null) => void;
}

/** Is this what the link names: its model URL, or else its preset? */
const isLinked = (presets: UrlPresets, source: WorkspaceSource) => (presets.modelUrl
  ? source.kind === 'custom' && source.modelUrl === presets.modelUrl
  : source.kind === 'preset' && source.preset === presets.preset);

export function useUrlRestore(presets: UrlPresets, { run, source, setSelected, ablate, setMode, setZoom }: Target, push: (tone: Tone, text: string, code?: string) => void) {
  const done = useRef(presets.example === null && presets.ablate.length === 0 && presets.view.mode === 'example' && presets.view.zoom === null);
  useEffect(() => {
    if (done.current || !run || !source || !isLinked(presets, source)) return;
    done.current = true;
    const n = run.labels.length;
    if (presets.example !== null) {
      if (presets.example < n) setSelected(presets.example);
      else push('warning', `Ignored example=${presets.example} in the address: the run has ${n} examples (0–${n - 1}).`, 'address');
    }
    if (presets.ablate.length) {
      const { indices, unknown } = componentsByName(run, presets.ablate);
      if (unknown.length) push('warning', `Ignored ablate=${unknown.join(',')} in the address: no such component in this run (names are layer#channel, e.g. ${run.layers[0]?.name ?? 'conv'}#0).`, 'address');
      if (indices.length) ablate(indices);
    }
    setMode(presets.view.mode);
    const zoom = presets.view.zoom;
    if (zoom !== null) {
      if (run.layers.some((l) => l.name === zoom)) setZoom(zoom);
      else push('warning', `Ignored zoom=${zoom} in the address: the run has no layer of that name (its layers: ${run.layers.map((l) => l.name).join(', ')}).`, 'address');
    }
  }, [presets, run, source, setSelected, ablate, setMode, setZoom, push]);
}
