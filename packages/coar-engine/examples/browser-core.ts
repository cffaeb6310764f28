// In a page, without TensorFlow.js: open a run file (from the CLI, the app or the Node example) and
// rank the components that separate example 0 from the run's other examples (COAR-Edit's scores).
import { componentNames, decodeRunFile, topComponents, welchScores } from 'coar-engine/core';

const picker = document.querySelector<HTMLInputElement>('input[type=file]')!;
picker.addEventListener('change', async () => {
  const run = decodeRunFile(new Uint8Array(await picker.files![0].arrayBuffer()));
  if (!run.fit) throw new Error('This run is not fitted yet.');
  const reference = run.settings.examples.map((_, j) => j).filter((j) => j !== 0);
  const scores = welchScores({ componentCount: run.componentCount, ...run.fit }, [0], reference);
  const names = componentNames(run);
  // The 5 components whose switching off should raise example 0's margin most, relative to the rest.
  document.body.append(topComponents(scores, 5, 'raise').map((i) => names[i]).join(', '));
});
