/** Which tfjs backend runs the model, on what, and why it was chosen. Always visible. */
import type { BackendInfo } from '../worker/protocol';

const LABELS: Record<BackendInfo['name'], string> = { webgpu: 'WebGPU', wasm: 'wasm', webgl: 'WebGL', cpu: 'cpu' };

export function BackendBadge({ backend }: { backend: BackendInfo | null }) {
  if (!backend) {
    return (
      <div className="backend-badge pending" data-testid="backend-badge" data-backend="" aria-live="polite">
        <strong>Backend:</strong> choosing…
      </div>
    );
  }
  // The reason already quotes the calibration; the attribute keeps the numbers for tests.
  const calibration = backend.calibration
    ? Object.entries(backend.calibration).map(([name, rate]) => `${name}=${Math.round(rate ?? 0)}`).join(',')
    : '';
  return (
    <div className={`backend-badge ${backend.name}`} data-testid="backend-badge" data-backend={backend.name} data-calibration={calibration} aria-live="polite">
      <div>
        <strong>Backend: {LABELS[backend.name]}</strong>
        {backend.forced && <span className="tag">forced</span>}
        <span className="adapter"> · {backend.adapter}</span>
      </div>
      <div className="reason">{backend.reason}</div>
    </div>
  );
}
