/**
 * The toggle-to-ablate state: the set of ablated components, its undo history, and the worker's
 * answer for the latest set (older answers are cancelled or ignored).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { APP_CONFIG } from '../../app-config';
import type { AblationView, DatasetAccuracyView, RunView } from '../../worker/protocol/protocol';
import type { Tone } from './use-messages';
import type { CoarClient } from './worker-client';
import { followLatest } from './follow-latest';

const normalise = (list: number[]) => [...new Set(list)].sort((a, b) => a - b);

export function useAblation(client: CoarClient, run: RunView | null, push: (tone: Tone, text: string, code?: string) => void) {
  const [edits, setEdits] = useState<{ ablated: number[]; history: number[][] }>({ ablated: [], history: [] });
  const [result, setResult] = useState<AblationView | null>(null);
  const [busy, setBusy] = useState(false);
  const [dataset, setDataset] = useState<DatasetAccuracyView | null>(null);
  const [datasetBusy, setDatasetBusy] = useState(false);
  const latest = useRef<number | null>(null);
  const latestDataset = useRef<number | null>(null);
  const ablated = edits.ablated;

  // A different run (or a refit) starts from nothing ablated.
  useEffect(() => {
    setEdits({ ablated: [], history: [] });
    setResult(null);
    setDataset(null);
  }, [run]);

  const change = useCallback((next: number[] | ((current: number[]) => number[])) => {
    setEdits(({ ablated: current, history }) => ({
      ablated: normalise(typeof next === 'function' ? next(current) : next),
      history: [...history, current],
    }));
  }, []);

  const toggle = useCallback((i: number) => change((current) => (current.includes(i) ? current.filter((x) => x !== i) : [...current, i])), [change]);

  const undo = useCallback(() => {
    setEdits(({ ablated: current, history }) => (history.length ? { ablated: history[history.length - 1], history: history.slice(0, -1) } : { ablated: current, history }));
  }, []);

  const reset = useCallback(() => change([]), [change]);

  /** The data-set accuracy (slower) follows each ablation result, unless a newer set replaced it. */
  const measureDataset = useCallback((slot: RunView['slot'], components: number[]) => {
    setDatasetBusy(true);
    const job = client.request<'dataset-accuracy'>({ type: 'dataset-accuracy', slot, components });
    followLatest(latestDataset, job, (view) => {
      setDataset(view);
      setDatasetBusy(false);
    }, (error) => {
      setDatasetBusy(false);
      if (error.code !== 'cancelled') push('warning', `The data-set accuracy could not be measured: ${error.message}`, error.code);
    });
  }, [client, push]);

  useEffect(() => {
    if (!run) return;
    for (const ref of [latest, latestDataset]) {
      if (ref.current !== null) void client.cancel(ref.current);
      ref.current = null;
    }
    setDatasetBusy(false);
    if (ablated.length === 0) {
      setResult(null);
      setDataset(null);
      setBusy(false);
      return;
    }
    setBusy(true);
    const timer = setTimeout(() => {
      const job = client.request<'ablate'>({ type: 'ablate', slot: run.slot, components: ablated });
      followLatest(latest, job, (view) => {
        setResult(view);
        setBusy(false);
        measureDataset(run.slot, ablated);
      }, (error) => {
        setBusy(false);
        if (error.code !== 'cancelled') push('error', `The ablation could not be computed: ${error.message}`, error.code);
      });
    }, APP_CONFIG.ui.ablateDebounceMs);
    return () => clearTimeout(timer);
  }, [ablated, run, client, push, measureDataset]);

  return { ablated, result, busy, dataset, datasetBusy, canUndo: edits.history.length > 0, toggle, change, undo, reset };
}
