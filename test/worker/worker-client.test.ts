import { describe, expect, it } from 'vitest';
import { CoarClient, WorkerError } from '../../src/ui/state/worker-client';
import type { Request, Response } from '../../src/worker/protocol/protocol';

/** A stand-in for the Worker: records requests, lets the test answer them. */
class FakeWorker {
  sent: Request[] = [];
  onmessage: ((e: MessageEvent<Response>) => void) | null = null;
  onerror: ((e: ErrorEvent) => void) | null = null;
  onmessageerror: (() => void) | null = null;
  postMessage(message: Request) { this.sent.push(message); }
  answer(message: Response) { this.onmessage?.({ data: message } as MessageEvent<Response>); }
}

const setup = () => {
  const worker = new FakeWorker();
  return { worker, client: new CoarClient(worker as unknown as Worker) };
};

describe('CoarClient', () => {
  it('numbers requests, passes progress on and resolves with the result', async () => {
    const { worker, client } = setup();
    const progress: string[] = [];
    const job = client.request<'fit-run'>({ type: 'fit-run' }, (p) => progress.push(p.stage));
    expect(worker.sent).toEqual([{ type: 'fit-run', id: job.id }]);
    worker.answer({ id: job.id, kind: 'progress', progress: { stage: 'Fitting' } });
    worker.answer({ id: job.id, kind: 'result', type: 'fit-run', result: { slot: 'live' } });
    await expect(job.promise).resolves.toEqual({ slot: 'live' });
    expect(progress).toEqual(['Fitting']);
  });

  it('rejects with the worker\'s message and code', async () => {
    const { worker, client } = setup();
    const job = client.request<'resume-run'>({ type: 'resume-run' });
    worker.answer({ id: job.id, kind: 'error', code: 'no-run', message: 'There is no live run yet: start one first.' });
    const error = await job.promise.catch((e) => e);
    expect(error).toBeInstanceOf(WorkerError);
    expect(error).toMatchObject({ code: 'no-run', message: 'There is no live run yet: start one first.' });
  });

  it('sends cancels for pending jobs only', async () => {
    const { worker, client } = setup();
    const job = client.request<'resume-run'>({ type: 'resume-run' });
    const cancelled = client.cancel(job.id);
    const cancel = worker.sent[1];
    expect(cancel).toMatchObject({ type: 'cancel', target: job.id });
    worker.answer({ id: cancel.id, kind: 'result', type: 'cancel', result: { cancelled: true } });
    await expect(cancelled).resolves.toBe(true);
    await expect(client.cancel(12345)).resolves.toBe(false);
  });

  it('delivers events and fails every pending job when the worker dies', async () => {
    const { worker, client } = setup();
    const events: string[] = [];
    client.onEvent((e) => events.push(e.type));
    worker.answer({ kind: 'event', event: { type: 'ready' } });
    const job = client.request<'fit-run'>({ type: 'fit-run' });
    worker.onerror?.({ message: 'script error', preventDefault() {} } as ErrorEvent);
    await expect(job.promise).rejects.toMatchObject({ code: 'worker-failed' });
    await expect(client.request<'fit-run'>({ type: 'fit-run' }).promise).rejects.toMatchObject({ code: 'worker-failed' });
    expect(events).toEqual(['ready', 'warning']);
  });
});
