/** The plain-language explanation of what the picture shows; it names only what the page shows (hide=). */
import { Term } from './Term';
import type { HideKey } from '../state/url-state';

interface Props {
  modelName: string;
  componentCount: number | null;
  hide: readonly HideKey[];
}

export function Intro({ modelName, componentCount, hide }: Props) {
  const more = [
    !hide.includes('edit') && 'edit the model',
    !hide.includes('run') && 're-run the analysis live below',
  ].filter(Boolean) as string[];
  return (
    <p className="intro" data-testid="intro">
      Each cell is one <Term id="component" /> of the image classifier <strong>{modelName || 'fashion-resnet'}</strong>
      {componentCount ? ` (${componentCount.toLocaleString('en-US')} in all)` : ''}, one row per layer, coloured by its <Term id="attribution" /> for
      the selected image: <span className="blue-word">blue</span> when <em>keeping</em> it raises the image’s <Term id="margin" />,{' '}
      <span className="red-word">red</span> when keeping it lowers it (so switching a red one off raises the margin). <Term id="coar" /> computed
      them from hundreds of runs with random components switched off. Click cells to <Term id="switch-off">switch components off</Term> for real and
      compare with its prediction{more.length ? `, ${more.join(', or ')}` : ''}.
    </p>
  );
}
