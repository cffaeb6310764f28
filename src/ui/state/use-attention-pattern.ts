/**
 * The attention pattern shown beside the heatmap: when the last component clicked is an attention
 * head, the worker computes that layer's weights for the selected example under the current
 * ablation. A newer request supersedes an older one.
 */
import { useEffect, useState } from 'react';
import type { AttentionPatternView, RunView } from '../../worker/protocol/protocol';
import type { CoarClient } from './worker-client';

export interface FocusedHead {
  layer: RunView['layers'][number];
  head: number;
}

/** The attention head a component index names, or null when it is another kind of component. */
export function headOf(run: RunView | null, component: number | null): FocusedHead | null {
  if (!run || component === null) return null;
  const layer = run.layers.find((l) => component >= l.offset && component < l.offset + l.count);
  return layer && layer.kind === 'attention-head' ? { layer, head: component - layer.offset } : null;
}

export function useAttentionPattern(client: CoarClient, run: RunView | null, selected: number, ablated: number[], focus: FocusedHead | null, push: (level: 'error', message: string, key: string) => void) {
  const [view, setView] = useState<AttentionPatternView | null>(null);
  const [busy, setBusy] = useState(false);
  const layerName = focus?.layer.name ?? null;
  useEffect(() => {
    if (!run || layerName === null) return;
    let current = true;
    setBusy(true);
    const job = client.request<'attention-pattern'>({ type: 'attention-pattern', slot: run.slot, layer: layerName, example: selected, components: ablated });
    job.promise.then(
      (v) => { if (current) setView(v); },
      (e: Error & { code?: string }) => { if (current && e.code !== 'cancelled') push('error', `Attention pattern: ${e.message}`, 'attention'); },
    ).finally(() => { if (current) setBusy(false); });
    return () => {
      current = false;
      void client.cancel(job.id);
    };
  }, [client, run, layerName, selected, ablated, push]);
  const fresh = view && run && view.slot === run.slot && view.layer === layerName ? view : null;
  return { view: fresh, busy };
}
