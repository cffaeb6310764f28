/**
 * Hostile input on the browser side (issue 11): linked model.json files whose weight paths leave
 * their folder or site, repeat one file, or exceed the limits; redirects to another site;
 * non-http(s) model/data URLs; run sizes in the address beyond LIMITS; a run sampled in another
 * tab; the warning list; the Content-Security-Policy; forged run files. Each case asserts the
 * message the user reads, and no request made where none should be.
 */
import { readFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CoarError } from '../../src/coar/errors';
import { LIMITS } from '../../src/coar/limits';
import { allowUserOrigin, fetchBytes, forgetUserOrigins, gatedFetch } from '../../src/worker/workspace/fetch-files';
import { fetchModel, readModelInput } from '../../src/worker/workspace/model-input';
import { readImagesInput } from '../../src/worker/workspace/images-input';
import { liveSettings, sampleLiveRun } from '../../src/worker/jobs/live-run';
import { holdRunLock, runsBusyElsewhere } from '../../src/worker/storage/run-locks';
import { importRunFile } from '../../src/worker/storage/stored-runs';
import { resolveTypedUrl } from '../../src/worker/workspace/url-rules';
import { readUrlPresets } from '../../src/ui/state/url-state';
import { appendMessage, type MessageList } from '../../src/ui/state/use-messages';
import { PAGE_POLICY, policyFor } from '../../scripts/csp';
import type { Workspace } from '../../src/worker/workspace/workspace';

const SITE = 'https://coar.example';
const MODEL_URL = `${SITE}/models/m/model.json`;

/** A model.json whose one weight group lists `paths` (2 float32 weights, 8 bytes). */
const modelJson = (paths: string[], shape = [2]) => JSON.stringify({
  modelTopology: { class_name: 'Sequential', config: { layers: [] } },
  weightsManifest: [{ paths, weights: [{ name: 'w', shape, dtype: 'float32' }] }],
});

type Answer = { body?: BodyInit; status?: number; headers?: Record<string, string>; redirectTo?: string };

/** A fake fetch over `files` (URL → answer) that records every request and honours redirect: 'manual'. */
function fakeFetch(files: Record<string, Answer>) {
  const calls: { url: string; init?: RequestInit }[] = [];
  const fn = vi.fn(async (url: string, init?: RequestInit) => {
    calls.push({ url, init });
    const answer = files[url];
    if (!answer) return new Response('not found', { status: 404 });
    if (answer.redirectTo) {
      // What a browser gives: an opaque redirect in 'manual' mode, else the followed answer.
      if (init?.redirect === 'manual') return { type: 'opaqueredirect', status: 0, ok: false, redirected: false, url: '', headers: new Headers(), body: null } as unknown as Response;
      const followed = new Response(new Uint8Array(8), { headers: { 'content-type': 'application/octet-stream' } });
      Object.defineProperty(followed, 'redirected', { value: true });
      Object.defineProperty(followed, 'url', { value: answer.redirectTo });
      return followed;
    }
    return new Response(answer.body ?? new Uint8Array(8), { status: answer.status ?? 200, headers: { 'content-type': 'application/octet-stream', ...answer.headers } });
  });
  vi.stubGlobal('fetch', fn);
  return calls;
}

async function messageOf(promise: Promise<unknown>): Promise<CoarError> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(CoarError);
  return error as CoarError;
}

beforeEach(() => {
  vi.stubGlobal('location', { origin: SITE });
  forgetUserOrigins();
});
afterEach(() => {
  vi.unstubAllGlobals();
});

describe('weight files named by a linked model.json', () => {
  it('refuses a weight path that climbs out of its folder, before any weight request', async () => {
    const calls = fakeFetch({ [MODEL_URL]: { body: modelJson(['../../../../etc/passwd']) } });
    const e = await messageOf(fetchModel(MODEL_URL));
    expect(e.message).toMatch(/"\.\.\/\.\.\/\.\.\/\.\.\/etc\/passwd" is refused: it climbs out of its folder with "\.\."/);
    expect(calls.map((c) => c.url)).toEqual([MODEL_URL]);
  });

  it('refuses an absolute weight path on the same site', async () => {
    const calls = fakeFetch({ [MODEL_URL]: { body: modelJson(['/secret/w.bin']) } });
    const e = await messageOf(fetchModel(MODEL_URL));
    expect(e.message).toMatch(/"\/secret\/w\.bin" is refused: it is an absolute path/);
    expect(calls).toHaveLength(1);
  });

  it('refuses a weight path with a scheme or another host', async () => {
    const calls = fakeFetch({ [MODEL_URL]: { body: modelJson(['https://evil.example/w.bin']) } });
    expect((await messageOf(fetchModel(MODEL_URL))).message).toMatch(/"https:\/\/evil\.example\/w\.bin" is refused: it names a scheme or drive/);
    fakeFetch({ [MODEL_URL]: { body: modelJson(['//evil.example/w.bin']) } });
    expect((await messageOf(fetchModel(MODEL_URL))).message).toMatch(/is refused: it names another host \(it starts with \/\/\)/);
    expect(calls).toHaveLength(1);
  });

  it('refuses one weight file listed 20,000 times before any weight request', async () => {
    const calls = fakeFetch({ [MODEL_URL]: { body: modelJson(Array(20_000).fill('w.bin')) }, [`${SITE}/models/m/w.bin`]: {} });
    const e = await messageOf(fetchModel(MODEL_URL));
    expect(e.message).toMatch(/lists 20,000 weight files, over the limit of 1,000|lists the weight file "w\.bin" more than once/);
    expect(calls).toHaveLength(1);
    fakeFetch({ [MODEL_URL]: { body: modelJson(['w.bin', 'w.bin']) } });
    expect((await messageOf(fetchModel(MODEL_URL))).message).toMatch(/lists the weight file "w\.bin" more than once: each file may be listed once/);
  });

  it('refuses more weight files than LIMITS.weightFiles before fetching', async () => {
    const paths = Array.from({ length: LIMITS.weightFiles + 1 }, (_, i) => `w${i}.bin`);
    const calls = fakeFetch({ [MODEL_URL]: { body: modelJson(paths) } });
    expect((await messageOf(fetchModel(MODEL_URL))).message).toMatch(/lists 1,001 weight files, over the limit of 1,000/);
    expect(calls).toHaveLength(1);
  });

  it('refuses weights declared over LIMITS.weightBytes before fetching', async () => {
    const calls = fakeFetch({ [MODEL_URL]: { body: modelJson(['w.bin'], [2 ** 20, 2 ** 10]) } });
    expect((await messageOf(fetchModel(MODEL_URL))).message).toMatch(/declares 4,294,967,296 bytes of weights, over the limit of 1,048,576,000 bytes/);
    expect(calls).toHaveLength(1);
  });

  it('stops reading a weight file that is larger than the weight budget', async () => {
    fakeFetch({ [`${SITE}/w.bin`]: { body: new Uint8Array(64), headers: { 'content-length': '64' } } });
    const e = await messageOf(fetchBytes(`${SITE}/w.bin`, 'the weight file', 16));
    expect(e.code).toBe('too-large');
    expect(e.message).toMatch(/The weight file is 64 bytes or more, over the 16 bytes allowed for it/);
  });

  it('stops a stream that says no length once it passes the limit', async () => {
    const url = 'https://models.example/w.bin';
    allowUserOrigin(url);
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({ pull(c) { pulled++; c.enqueue(new Uint8Array(1024)); } });
    vi.stubGlobal('fetch', vi.fn(async () => new Response(endless, { headers: { 'content-type': 'application/octet-stream' } })));
    const e = await messageOf(fetchBytes(url, "the model's weight file \"w.bin\"", 4096));
    expect(e.message).toBe(`The model's weight file "w.bin" is 5,120 bytes or more, over the 4,096 bytes allowed for it (docs/LIMITS.md); it was not read.`);
    expect(pulled).toBeLessThan(10);
  });
});

describe('redirects and foreign origins', () => {
  it('refuses a same-origin weight URL that redirects, without following it', async () => {
    const calls = fakeFetch({
      [MODEL_URL]: { body: modelJson(['w.bin']) },
      [`${SITE}/models/m/w.bin`]: { redirectTo: 'https://evil.example/w.bin' },
    });
    const e = await messageOf(fetchModel(MODEL_URL));
    expect(e.code).toBe('redirected');
    expect(e.message).toMatch(/weight file "w\.bin" was not loaded: https:\/\/coar\.example\/models\/m\/w\.bin answered with a redirect/);
    expect(calls.every((c) => c.init?.redirect === 'manual')).toBe(true);
    expect(calls.some((c) => c.url.startsWith('https://evil.example'))).toBe(false);
  });

  it('names where a followed redirect went when it left the site', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => {
      const r = new Response(new Uint8Array(8), { headers: { 'content-type': 'application/octet-stream' } });
      Object.defineProperty(r, 'redirected', { value: true });
      Object.defineProperty(r, 'url', { value: 'https://evil.example/x.bin' });
      return r;
    }));
    const e = await messageOf(gatedFetch(`${SITE}/x.bin`, 'the run file'));
    expect(e.message).toBe('The run file was not loaded: https://coar.example/x.bin redirected to https://evil.example/x.bin, on another site (https://evil.example). Only files on the site you chose are loaded.');
  });

  it('never requests an origin that is neither the site nor one the user gave', async () => {
    const calls = fakeFetch({});
    const e = await messageOf(fetchBytes('https://tracker.example/pixel.bin', 'the precomputed run file'));
    expect(e.code).toBe('foreign-file');
    expect(e.message).toMatch(/The precomputed run file was not requested: https:\/\/tracker\.example\/pixel\.bin is on https:\/\/tracker\.example, which is neither this site \(https:\/\/coar\.example\) nor a site whose address you gave/);
    expect(calls).toHaveLength(0);
  });

  it('allows the host of a model URL the user typed', async () => {
    const url = 'https://models.example/m/model.json';
    const calls = fakeFetch({ [url]: { body: modelJson(['w.bin']) }, 'https://models.example/m/w.bin': {} });
    const bytes = await readModelInput({ kind: 'url', url });
    expect([...bytes.files.keys()]).toEqual(['w.bin']);
    expect(calls.map((c) => c.url)).toEqual([url, 'https://models.example/m/w.bin']);
  });
});

describe('model and data URLs: http(s) only', () => {
  const target = { height: 28, width: 28, channels: 1 };
  it.each([
    ['javascript:alert(document.cookie)', 'javascript:'],
    ['file:///etc/passwd', 'file:'],
    ['data:application/json,{}', 'data:'],
    ['blob:https://coar.example/0b1c', 'blob:'],
  ])('refuses the data URL %s', async (url, scheme) => {
    const calls = fakeFetch({});
    const e = await messageOf(readImagesInput({ kind: 'url', url }, target));
    expect(e.code).toBe('bad-url');
    expect(e.message).toContain(`Only http(s) addresses can be loaded (got ${scheme}): a dataset.json must come from a web address (https://…)`);
    expect(calls).toHaveLength(0);
  });

  it('refuses a data: or javascript: model URL', async () => {
    const calls = fakeFetch({});
    expect((await messageOf(readModelInput({ kind: 'url', url: 'data:application/json,{}' }))).message).toMatch(/Only http\(s\) addresses can be loaded \(got data:\): a model\.json must come from a web address/);
    expect((await messageOf(readModelInput({ kind: 'url', url: 'javascript:void 0' }))).message).toMatch(/got javascript:/);
    expect(calls).toHaveLength(0);
  });

  it('resolves a typed relative URL against the site, and keeps other schemes for the check', () => {
    expect(resolveTypedUrl('models/m/model.json', `${SITE}/demo/`)).toBe(`${SITE}/demo/models/m/model.json`);
    expect(resolveTypedUrl(' javascript:alert(1) ', `${SITE}/demo/`)).toBe('javascript:alert(1)');
  });
});

describe('run sizes from the address and the page', () => {
  it('refuses ?masks=1e12 and ?masks=20000000 with a message', () => {
    const huge = readUrlPresets('?masks=1e12');
    expect(huge.settings.trainMasks).toBe(readUrlPresets('').settings.trainMasks);
    expect(huge.problems).toEqual(['Ignored masks=1e12 in the address: the number of masks must be a whole number from 1 to 1,000,000 (got 1000000000000).']);
    expect(readUrlPresets('?masks=20000000').problems[0]).toMatch(/Ignored masks=20000000 .* from 1 to 1,000,000/);
  });

  it('refuses ?examples= beyond LIMITS.examples and ?alpha= outside (0, 1)', () => {
    expect(readUrlPresets('?examples=3000000000').problems).toEqual(['Ignored examples=3000000000 in the address: the number of examples must be a whole number from 1 to 100,000 (got 3000000000).']);
    expect(readUrlPresets('?alpha=1.5').problems).toEqual(['Ignored alpha=1.5 in the address: alpha must be between 0 and 1 (got 1.5).']);
  });

  it('raises ?val=2 to LIMITS.minValidationMasks and refuses ?val= over LIMITS.masks', () => {
    const few = readUrlPresets('?val=2');
    expect(few.settings.valMasks).toBe(LIMITS.minValidationMasks);
    expect(few.problems[0]).toMatch(/^Raised val=2 in the address to 10: a held-out correlation over fewer than 10 validation masks means little/);
    expect(readUrlPresets('?val=5000000').problems[0]).toMatch(/Ignored val=5000000 .* from 10 to 1,000,000/);
  });

  it('refuses masks × examples over LIMITS.outputsPerRun in the address', () => {
    const p = readUrlPresets('?masks=1000000&examples=1000');
    expect(p.problems[0]).toMatch(/Ignored masks=1000000 and val=.* = 1,000,100,000 outputs, over the limit of 500,000,000/);
  });

  it('the worker refuses 10¹² masks before allocating anything', () => {
    const req = { layers: ['a'], alpha: 0.05, trainMasks: 1e12, valMasks: 0, exampleCount: 4, ablation: 'zero-weights' as const, seed: 0 };
    expect(() => liveSettings(req, 100, null)).toThrow('The run cannot start: the number of masks must be a whole number from 1 to 1,000,000 (got 1000000000000).');
    expect(() => liveSettings({ ...req, trainMasks: 1_000_000, exampleCount: 1000 }, 5000, null)).toThrow(/over the limit of 500,000,000 for one run/);
  });
});

/** A LockManager as navigator.locks has it: exclusive locks by name, ifAvailable, query. */
function fakeLocks() {
  const held = new Set<string>();
  return {
    held,
    async request(name: string, _options: { ifAvailable: boolean }, callback: (lock: unknown) => unknown) {
      if (held.has(name)) return callback(null);
      held.add(name);
      try {
        return await callback({ name });
      } finally {
        held.delete(name);
      }
    },
    async query() {
      return { held: [...held].map((name) => ({ name })) };
    },
  };
}

describe('a run sampled in another tab', () => {
  it('refuses to resume a run whose lock another tab holds, and writes nothing to its record', async () => {
    vi.stubGlobal('navigator', { locks: fakeLocks() });
    const release = await holdRunLock('run-1');
    const setStatus = vi.fn(async () => {});
    const ws = { runs: { live: { saver: { id: 'run-1', setStatus }, run: {} } } } as unknown as Workspace;
    const e = await messageOf(sampleLiveRun(ws, new AbortController().signal, () => {}));
    expect(e.code).toBe('run-busy');
    expect(e.message).toBe('This run is being computed in another tab (or window) of this site: let it finish there, or cancel it there, then try again here.');
    expect(setStatus).not.toHaveBeenCalled();
    expect(await runsBusyElsewhere(null)).toEqual(['run-1']);
    expect(await runsBusyElsewhere('run-1')).toEqual([]);
    release();
    await new Promise((r) => setTimeout(r, 0));
    expect(await runsBusyElsewhere(null)).toEqual([]);
  });

  it('runs unlocked where the browser has no Web Locks', async () => {
    vi.stubGlobal('navigator', {});
    const release = await holdRunLock('run-2');
    expect(await runsBusyElsewhere(null)).toEqual([]);
    release();
  });
});

describe('warnings kept', () => {
  it(`keeps the newest ${LIMITS.warningsKept} and counts the dropped ones`, () => {
    let list: MessageList = { messages: [], dropped: 0 };
    for (let i = 0; i < 60; i++) list = appendMessage(list, { tone: 'warning', text: `warning ${i}` });
    expect(list.messages).toHaveLength(LIMITS.warningsKept);
    expect(list.messages[0].text).toBe('warning 10');
    expect(list.dropped).toBe(10);
  });
});

describe('Content-Security-Policy', () => {
  it('index.html carries the page policy; the worker policy only widens connect-src', async () => {
    const html = await readFile('index.html', 'utf8');
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="${PAGE_POLICY}" />`);
    for (const d of ["default-src 'self'", "script-src 'self' 'wasm-unsafe-eval'", "connect-src 'self';", "object-src 'none'", "base-uri 'self'", "form-action 'none'"]) expect(PAGE_POLICY).toContain(d);
    expect(policyFor('worker')).toBe(PAGE_POLICY.replace("connect-src 'self'", "connect-src 'self' https: http:"));
    expect(policyFor('document')).toBe(PAGE_POLICY);
  });
});

describe('run files imported in the page', () => {
  it('says which file is not a run file, as a message rather than a TypeError', async () => {
    const file = new File([new Uint8Array([1, 2, 3, 4])], 'forged.coar');
    const e = await messageOf(importRunFile({} as Workspace, file, () => {}));
    expect(e.message).toBe('forged.coar could not be imported: This is not a COAR run file (it does not start with "COARRUN").');
  });

  it('refuses a run file whose attributions hold NaN, naming the file', async () => {
    const { encodeRunFile } = await import('../../src/coar/runfile');
    const { emptyRun, computeRows, range } = await import('../helpers/synthetic-run');
    const { fitRun } = await import('../../src/coar/run');
    const run = emptyRun();
    computeRows(run.train, range(0, run.train.done.length));
    computeRows(run.validation, range(0, run.validation.done.length));
    await fitRun(run);
    run.fit!.weights[3] = NaN;
    const e = await messageOf(importRunFile({} as Workspace, new File([encodeRunFile(run) as Uint8Array<ArrayBuffer>], 'nan.coar'), () => {}));
    expect(e.message).toMatch(/^nan\.coar could not be imported: The run file's "fit\.weights" section holds NaN at index 3/);
  });
});

describe("the worker's global fetch", () => {
  it('refuses a library request to a site nobody chose, and lets this site and data: through', async () => {
    const calls = fakeFetch({ [`${SITE}/assets/backend.wasm`]: {} });
    const { guardWorkerFetch } = await import('../../src/worker/workspace/fetch-files');
    guardWorkerFetch();
    const e = await messageOf(fetch('https://cdn.example/tfjs-backend-wasm.wasm'));
    expect(e.message).toMatch(/^The file was not requested: https:\/\/cdn\.example\/tfjs-backend-wasm\.wasm is on https:\/\/cdn\.example/);
    expect((await fetch(`${SITE}/assets/backend.wasm`)).ok).toBe(true);
    expect(calls.map((c) => c.url)).toEqual([`${SITE}/assets/backend.wasm`]);
  });
});
