/** Entry point: starts the computation worker and renders the app. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { parseBackendOverride } from './worker/backend/backend-rules';
import type { BackendName } from './worker/protocol/protocol';
import { App } from './ui/App';
import { ErrorBoundary } from './ui/ErrorBoundary';
import { readUrlPresets } from './ui/state/url-state';
import { CoarClient } from './ui/state/worker-client';
import './ui/styles.css';
import './offline/register';

const problems: string[] = [];
let backendOverride: BackendName | null = null;
try {
  backendOverride = parseBackendOverride(location.search);
} catch (e) {
  problems.push((e as Error).message);
}
const presets = readUrlPresets(location.search);
problems.push(...presets.problems);

const worker = new Worker(new URL('./worker/worker.ts', import.meta.url), { type: 'module' });
const client = new CoarClient(worker);

// Testing aid (used by the end-to-end tests): simulate a lost WebGPU device, as a driver reset would.
(window as unknown as { coarDebug: unknown }).coarDebug = {
  loseDevice: () => client.request<'simulate-device-loss'>({ type: 'simulate-device-loss' }).promise,
};

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ErrorBoundary>
      <App client={client} backendOverride={backendOverride} presets={presets} startupProblems={problems} />
    </ErrorBoundary>
  </StrictMode>,
);
