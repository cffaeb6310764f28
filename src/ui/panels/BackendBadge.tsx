/**
 * Which tfjs backend runs the model: one line (the backend and what it runs on), with the adapter
 * and the reason it was chosen on demand (a disclosure). Always visible.
 */
import { useEffect, useRef } from 'react';
import type { BackendInfo } from '../../worker/protocol/protocol';
import { Term } from './Term';

/** Closes an open disclosure when the user clicks or taps outside it, or presses Escape. */
function useCloseOutside(ref: React.RefObject<HTMLDetailsElement | null>) {
  useEffect(() => {
    const close = (e: Event) => {
      const d = ref.current;
      if (!d?.open) return;
      if (e instanceof KeyboardEvent ? e.key === 'Escape' : !d.contains(e.target as Node)) d.open = false;
    };
    document.addEventListener('pointerdown', close);
    document.addEventListener('keydown', close);
    return () => {
      document.removeEventListener('pointerdown', close);
      document.removeEventListener('keydown', close);
    };
  }, [ref]);
}

const LABELS: Record<BackendInfo['name'], string> = { webgpu: 'WebGPU', wasm: 'wasm', webgl: 'WebGL', cpu: 'cpu' };
const ON: Record<BackendInfo['name'], string> = { webgpu: 'the graphics card', wasm: 'the processor', webgl: 'the graphics card', cpu: 'the processor, plain JavaScript' };

export function BackendBadge({ backend }: { backend: BackendInfo | null }) {
  const details = useRef<HTMLDetailsElement>(null);
  useCloseOutside(details);
  if (!backend) {
    return (
      <div className="backend-badge pending" data-testid="backend-badge" data-backend="" aria-live="polite">
        <Term id="backend">Backend</Term>: choosing…
      </div>
    );
  }
  // The reason already quotes the calibration; the attribute keeps the numbers for tests.
  const calibration = backend.calibration
    ? Object.entries(backend.calibration).map(([name, rate]) => `${name}=${Math.round(rate ?? 0)}`).join(',')
    : '';
  return (
    <div className={`backend-badge ${backend.name}`} data-testid="backend-badge" data-backend={backend.name} data-calibration={calibration} aria-live="polite">
      <span className="backend-line">
        <Term id="backend">Backend</Term>: <strong>{LABELS[backend.name]}</strong> on {ON[backend.name]}
        {backend.forced && <span className="tag">forced</span>}
      </span>
      <details className="backend-details" ref={details}>
        <summary data-testid="backend-details">why?</summary>
        <div className="backend-more" data-testid="backend-reason">
          <div className="adapter">{backend.adapter}</div>
          <div className="reason">{backend.reason}</div>
        </div>
      </details>
    </div>
  );
}
