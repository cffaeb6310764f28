import { describe, expect, it } from 'vitest';
import { busyWith } from '../../src/ui/state/busy';
import { CoarClient } from '../../src/ui/state/worker-client';
import type { Request, Response } from '../../src/worker/protocol/protocol';

class FakeWorker {
  sent: Request[] = [];
  onmessage: ((e: MessageEvent<Response>) => void) | null = null;
  onerror: ((e: ErrorEvent) => void) | null = null;
  onmessageerror: (() => void) | null = null;
  postMessage(message: Request) { this.sent.push(message); }
  answer(message: Response) { this.onmessage?.({ data: message } as MessageEvent<Response>); }
}

describe('what the page is busy with', () => {
  it('names the oldest user action pending past the threshold; background and self-reporting jobs are not named', () => {
    const pending = [
      { id: 1, type: 'estimate-rate' as const, since: 0 },
      { id: 2, type: 'start-run' as const, since: 0 },
      { id: 3, type: 'export-run' as const, since: 100 },
      { id: 4, type: 'edit-goal' as const, since: 200 },
    ];
    expect(busyWith(pending, 350, 300)).toBeNull();
    expect(busyWith(pending, 400, 300)).toMatchObject({ type: 'export-run', label: 'Saving the run file (.coar)' });
    expect(busyWith(pending.slice(0, 2), 10_000, 300)).toBeNull();
  });

  it('hears the client’s pending requests as they are sent and answered', async () => {
    const worker = new FakeWorker();
    const client = new CoarClient(worker as unknown as Worker);
    const seen: string[][] = [];
    client.onPending((list) => seen.push(list.map((p) => p.type)));
    const job = client.request<'export-run'>({ type: 'export-run', slot: 'demo' });
    worker.answer({ id: job.id, kind: 'result', type: 'export-run', result: { fileName: 'x.coar', bytes: new Uint8Array(1) } });
    await job.promise;
    expect(seen).toEqual([[], ['export-run'], []]);
  });
});
