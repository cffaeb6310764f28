import { describe, expect, it } from 'vitest';
import { JobQueue } from '../../src/worker/jobs/job-queue';

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('JobQueue', () => {
  it('runs jobs one at a time, in order', async () => {
    const queue = new JobQueue();
    const log: string[] = [];
    const job = (name: string) => async () => {
      log.push(`start ${name}`);
      await tick();
      log.push(`end ${name}`);
    };
    queue.enqueue(1, job('a'), () => log.push('dropped a'));
    queue.enqueue(2, job('b'), () => log.push('dropped b'));
    expect(queue.runningId).toBe(1);
    expect(queue.waitingIds).toEqual([2]);
    await queue.whenIdle();
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b']);
  });

  it('drops a waiting job on cancel and aborts a running one', async () => {
    const queue = new JobQueue();
    const log: string[] = [];
    let release!: () => void;
    queue.enqueue(1, async (signal) => {
      await new Promise<void>((r) => { release = r; });
      log.push(`1 aborted=${signal.aborted}`);
    }, () => log.push('dropped 1'));
    queue.enqueue(2, async () => { log.push('2 ran'); }, () => log.push('dropped 2'));
    queue.enqueue(3, async () => { log.push('3 ran'); }, () => log.push('dropped 3'));
    expect(queue.cancel(2)).toBe('queued');
    expect(queue.cancel(1)).toBe('running');
    expect(queue.cancel(99)).toBe('unknown');
    release();
    await queue.whenIdle();
    expect(log).toEqual(['dropped 2', '1 aborted=true', '3 ran']);
  });

  it('keeps going after a job throws', async () => {
    const queue = new JobQueue();
    const log: string[] = [];
    queue.enqueue(1, async () => { throw new Error('boom'); }, () => {});
    queue.enqueue(2, async () => { log.push('2 ran'); }, () => {});
    await queue.whenIdle();
    expect(log).toEqual(['2 ran']);
  });

  it('starts again after running dry', async () => {
    const queue = new JobQueue();
    const log: string[] = [];
    queue.enqueue(1, async () => { log.push('1'); }, () => {});
    await queue.whenIdle();
    queue.enqueue(2, async () => { log.push('2'); }, () => {});
    await queue.whenIdle();
    expect(log).toEqual(['1', '2']);
  });
});
