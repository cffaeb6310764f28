/**
 * The CLI against hostile files and habits, spawned as a user runs it: every case is refused with
 * exit code 2 and a message that says what to do, before it reads, fetches or allocates what it
 * should not. Limits: docs/LIMITS.md.
 */
import type { ServerResponse } from 'node:http';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coar, coarFails } from '../helpers/cli';
import { rewriteRunHeader } from '../helpers/run-header';
import { LocalServers } from '../helpers/local-servers';
import { pngBomb } from '../helpers/png-bomb';

const dir = mkdtempSync(join(tmpdir(), 'coar-hostile-cli-'));
const MODEL = 'public/models/fashion-resnet/model.json';
const DATA = 'public/data/fashion-mnist-test';
const DEMO_RUN = 'public/runs/fashion-resnet-demo.coar';
const RUN = join(dir, 'run.coar');
const IMAGES = join(dir, 'images');
const runArgs = (...extra: string[]) => ['run', '--model', MODEL, '--data', DATA, '--out', join(dir, 'never.coar'), ...extra];

/** A copy of the demo run with its header rewritten. */
function forgedRun(name: string, edit: (header: string) => string): string {
  const path = join(dir, name);
  writeFileSync(path, rewriteRunHeader(new Uint8Array(readFileSync(DEMO_RUN)), edit));
  return path;
}

function png(width: number, height: number): Buffer {
  const image = new PNG({ width, height });
  image.data.fill(200);
  return PNG.sync.write(image);
}

const servers = new LocalServers();
const hits: string[][] = [[], []];
let A = '';
let B = '';

beforeAll(async () => {
  copyFileSync(DEMO_RUN, RUN);
  for (const cls of ['shirt', 'shoe']) {
    mkdirSync(join(IMAGES, cls), { recursive: true });
    writeFileSync(join(IMAGES, cls, 'a.png'), png(28, 28));
  }
  const modelJson = JSON.parse(readFileSync(MODEL, 'utf8'));
  const routesA = new Map<string, (res: ServerResponse) => void>();
  const routesB = new Map<string, (res: ServerResponse) => void>();
  A = await servers.serve(hits[0], routesA);
  B = await servers.serve(hits[1], routesB);
  const elsewhere = { ...modelJson, weightsManifest: modelJson.weightsManifest.map((g: { paths: string[] }) => ({ ...g, paths: g.paths.map((p) => `${B}/${p}`) })) };
  routesA.set('/m/model.json', (res) => res.end(JSON.stringify(elsewhere)));
  routesA.set('/recorded/model.json', (res) => res.end(JSON.stringify(modelJson)));
});

afterAll(() => servers.close());

describe('every command answers --help with its own options and defaults', () => {
  it.each([
    ['run', /--masks M +training masks \(default 600; 1 to 1,000,000\)[\s\S]*--val-masks V +validation masks \(default 100; 0 or at least 10\)[\s\S]*--ablation zero-weights\|zero-output\|mean +\(default zero-weights\)/],
    ['eval', /--alphas LIST[\s\S]*--masks M +held-out masks per alpha \(default 100\)/],
    ['export', /--format npy\|csv +\(default npy\); must agree with the --out extension/],
    ['merge', /usage: npm run coar -- merge RUN RUN\.\.\. --out RUN[\s\S]*--backend wasm\|cpu +tfjs backend \(default wasm\)/],
    ['edit', /--max-k M +largest k searched \(default: 7\.5% of the components for fix[\s\S]*--damage-budget POINTS +accuracy points the examples outside the target may lose/],
    ['inspect', /usage: npm run coar -- inspect --model M \[--data D\][\s\S]*--class-names FILE/],
  ])('%s --help', async (command, expected) => {
    const { stdout } = await coar([command, '--help']);
    expect(stdout).toMatch(new RegExp(`^usage: npm run coar -- ${command} `));
    expect(stdout).toMatch(expected);
  });
});

describe('option values: refused with what to type instead', () => {
  it.each([
    ['--examples 5,5,5 (one image three times)', ['--examples', '5,5,5'], /--examples names some examples more than once: 5 \(3 times\)\. Each example is studied once: list it once\./],
    ['--examples 0-9,5 (a repeat across a range)', ['--examples', '0-9,5'], /--examples names some examples more than once: 5 \(2 times\)/],
    ['--examples 0-3000000000 (counted before it is expanded)', ['--examples', '0-3000000000'], /--examples asks for 3,000,000,001 examples, over the limit of 100,000 per run \(docs\/LIMITS\.md\)/],
    ['--examples 3000000000', ['--examples', '3000000000'], /--examples asks for 3,000,000,000 examples, over the limit of 100,000/],
    ['--val-masks 2', ['--val-masks', '2'], /--val-masks must be 0 \(no validation\) or at least 10: a correlation over 2 masks means little \(got 2\)/],
    ['--val-masks -1', ['--val-masks', '-1'], /--val-masks must be a whole number from 0 \(got -1\)/],
    ['--masks -3 (not Node\'s "ambiguous")', ['--masks', '-3'], /^error: --masks must be a positive whole number \(got -3\)\.\n$/],
    ['--masks 0', ['--masks', '0'], /--masks must be a positive whole number \(got 0\)/],
    ['--masks 1.5', ['--masks', '1.5'], /--masks must be a positive whole number \(got 1\.5\)/],
    ['--masks 2000000', ['--masks', '2000000'], /--masks 2000000 is over the limit of 1,000,000 \(docs\/LIMITS\.md\)/],
    ['--alpha -0.5', ['--alpha', '-0.5'], /alpha must be a fraction strictly between 0 and 1 \(got -0\.5\)/],
    ['masks × examples over the outputs limit', ['--masks', '1000000', '--val-masks', '0', '--examples', '600'], /1000000 masks × 600 examples = 600,000,000 outputs, over the limit of 500,000,000 per run \(docs\/LIMITS\.md\)/],
  ])('%s', async (_what, args, expected) => {
    const stderr = await coarFails(runArgs(...args));
    expect(stderr).toMatch(expected);
    expect(stderr).not.toMatch(/ambiguous|internal error/);
  });

  it('--out in a folder that does not exist: refused before any work, not an internal error at the first write', async () => {
    const out = join(dir, 'no-such-folder', 'run.coar');
    expect(await coarFails(['run', '--model', MODEL, '--data', DATA, '--out', out])).toMatch(/^error: --out .*no-such-folder\/run\.coar: the folder .*no-such-folder does not exist; create it first \(mkdir -p\)\.\n$/);
    expect(await coarFails(['merge', RUN, RUN, '--out', out])).toMatch(/the folder .*no-such-folder does not exist/);
  });

  it('eval --masks -3', async () => {
    expect(await coarFails(['eval', RUN, '--model', MODEL, '--data', DATA, '--masks', '-3'])).toMatch(/^error: --masks must be a positive whole number \(got -3\)\.\n$/);
  });
});

describe('export never replaces a run', () => {
  it('--out the run file itself', async () => {
    const copy = join(dir, 'same.npy');
    copyFileSync(DEMO_RUN, copy);
    expect(await coarFails(['export', copy, '--out', copy])).toMatch(/--out .*same\.npy is the run file being exported: it would be replaced\. Choose another file\./);
    expect(readFileSync(copy).subarray(0, 7).toString()).toBe('COARRUN');
  });

  it('--out run.coar (the .coar extension)', async () => {
    expect(await coarFails(['export', RUN, '--out', RUN])).toMatch(/--out .*run\.coar ends in \.coar, the run file extension: export writes \.npy attributions, not a run/);
  });

  it('--out another existing run file', async () => {
    const other = join(dir, 'other-run.npy');
    copyFileSync(DEMO_RUN, other);
    expect(await coarFails(['export', RUN, '--out', other])).toMatch(/--out .*other-run\.npy is an existing COAR run file: export does not replace runs/);
  });

  it('--format csv with a .npy path', async () => {
    expect(await coarFails(['export', RUN, '--format', 'csv', '--out', join(dir, 'a.npy')])).toMatch(/--out .*a\.npy ends in \.npy but the format is csv: pass --format npy or choose a \.csv file/);
  });

  it('a .csv path with the default format', async () => {
    expect(await coarFails(['export', RUN, '--out', join(dir, 'a.csv')])).toMatch(/--out .*a\.csv ends in \.csv but the format is npy \(the default\): pass --format csv/);
  });
});

describe('eval and edit open only what the user passes', () => {
  it('eval without --model and --data prints the recorded locations and the flags to pass', async () => {
    const stderr = await coarFails(['eval', RUN, '--json']);
    expect(stderr).toMatch(/eval needs --model and --data: the locations written in a run file are never opened on their own\. This run records model public\/models\/fashion-resnet\/model\.json and data public\/data\/fashion-mnist-test\./);
    expect(stderr).toMatch(/npm run coar -- eval .*run\.coar --model public\/models\/fashion-resnet\/model\.json --data public\/data\/fashion-mnist-test/);
  });

  it('edit without --model and --data', async () => {
    expect(await coarFails(['edit', RUN, '--target', 'example:23', '--k', '2'])).toMatch(/^error: edit needs --model and --data: the locations written in a run file are never opened on their own/);
  });

  it('eval with --model but no --data', async () => {
    expect(await coarFails(['eval', RUN, '--model', MODEL])).toMatch(/eval needs --model and --data/);
  });

  it('a recorded model URL is printed, never fetched', async () => {
    const forged = forgedRun('url.coar', (h) => h.replace(`"name":"${MODEL}"`, `"name":"${A}/recorded/model.json"`));
    hits[0].length = 0;
    const stderr = await coarFails(['eval', forged]);
    expect(stderr).toMatch(new RegExp(`This run records model ${A.replace(/\./g, '\\.')}/recorded/model\\.json`));
    expect(hits[0]).toEqual([]);
  });

  it('a recorded labels=csv:/etc/passwd is not read, even with --data naming the recorded folder', async () => {
    const forged = forgedRun('passwd.coar', (h) => h.replace(`"name":"${DATA}"`, `"name":${JSON.stringify(`${IMAGES}?labels=csv:/etc/passwd&normalize=0-1`)}`));
    const stderr = await coarFails(['eval', forged, '--model', MODEL, '--data', IMAGES]);
    expect(stderr).toMatch(/The run's data was imported with --labels=csv:\/etc\/passwd, which names a file: a file named in a run file is not opened unless you pass it again \(--labels=csv:\/etc\/passwd\)\./);
    expect(stderr).not.toMatch(/root:/);
    const bare = await coarFails(['eval', forged]);
    expect(bare).toMatch(/--data .*images --labels=csv:\/etc\/passwd --normalize=0-1/);
    expect(bare).not.toMatch(/root:/);
  });

  it('a recorded class-names file is not read either', async () => {
    const forged = forgedRun('classes.coar', (h) => h.replace(`"name":"${DATA}"`, `"name":${JSON.stringify(`${IMAGES}?labels=folder&normalize=0-1&class-names=%2Fetc%2Fshadow`)}`));
    expect(await coarFails(['edit', forged, '--model', MODEL, '--data', IMAGES, '--target', 'example:1', '--k', '1'])).toMatch(/imported with --class-names=\/etc\/shadow, which names a file/);
  });

  it('terminal escapes in recorded locations are printed escaped', async () => {
    const forged = forgedRun('escapes.coar', (h) => h.replace(`"name":"${DATA}"`, '"name":"\\u001b]0;owned\\u0007\\u001b[2Jdata"'));
    const stderr = await coarFails(['eval', forged]);
    expect(stderr).toMatch(/data '\\x1b\]0;owned\\x07\\x1b\[2Jdata'/);
    expect(stderr).not.toMatch(/[\u001b\u0007]/);
  });

  it('an imported run with the right fingerprints but renamed layers is refused, naming the layer', async () => {
    const forged = forgedRun('renamed.coar', (h) => h.replace('"name":"stem_conv"', '"name":"stem_convX"'));
    expect(await coarFails(['eval', forged, '--model', MODEL, '--data', DATA, '--masks', '10'])).toMatch(/This run file's layer 1 is "stem_convX" \(Conv2D, \d+ components from 0\), but the loaded model's is "stem_conv" \(Conv2D, \d+ components from 0\): the run belongs to another model/);
  });
});

describe('hostile files through the CLI', () => {
  it('a model.json whose weight path is ../../../../etc/passwd', async () => {
    const m = JSON.parse(readFileSync(MODEL, 'utf8'));
    m.weightsManifest[0].paths[0] = '../../../../etc/passwd';
    mkdirSync(join(dir, 'evil'), { recursive: true });
    writeFileSync(join(dir, 'evil', 'model.json'), JSON.stringify(m));
    expect(await coarFails(['inspect', '--model', join(dir, 'evil', 'model.json')])).toMatch(/Weight file listed in .*evil\/model\.json "\.\.\/\.\.\/\.\.\/\.\.\/etc\/passwd" is refused: it climbs out of its folder with "\.\."/);
  });

  it('a model.json by URL whose weights are on another origin: refused, that origin gets no request', async () => {
    hits[1].length = 0;
    expect(await coarFails(['inspect', '--model', `${A}/m/model.json`])).toMatch(/Weight file listed in http:\/\/127\.0\.0\.1:\d+\/m\/model\.json "http:\/\/127\.0\.0\.1:\d+\/[^"]+" is refused: it names a scheme or drive/);
    expect(hits[1]).toEqual([]);
  });

  it('a PNG decompression bomb in an image folder', async () => {
    const bombs = join(dir, 'bombs');
    for (const cls of ['a', 'b']) mkdirSync(join(bombs, cls), { recursive: true });
    writeFileSync(join(bombs, 'a', 'bomb.png'), pngBomb(12_000));
    writeFileSync(join(bombs, 'b', 'ok.png'), png(28, 28));
    expect(await coarFails(['inspect', '--model', MODEL, '--data', bombs])).toMatch(/Image "a\/bomb\.png" is 12000×12000 \(144 megapixels\), over the limit of 40 megapixels per image \(docs\/LIMITS\.md\)/);
  });

  it('terminal escapes in a model path are printed escaped', async () => {
    const stderr = await coarFails(runArgs().map((a) => (a === MODEL ? '\u001b[2J\u001b[31mnope/model.json' : a)));
    expect(stderr).toMatch(/Cannot read model file \\x1b\[2J\\x1b\[31mnope\/model\.json/);
    expect(stderr).not.toContain('\u001b');
  });

  it('terminal escapes in a run file path are printed escaped', async () => {
    const stderr = await coarFails(['export', '\u001b]0;pwned\u0007.coar', '--out', join(dir, 'x.npy')]);
    expect(stderr).toMatch(/Cannot read run file \\x1b\]0;pwned\\x07\.coar/);
    expect(stderr).not.toMatch(/[\u001b\u0007]/);
  });
});
