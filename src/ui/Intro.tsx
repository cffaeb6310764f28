/** The plain-language explanation of what the picture shows. */
export function Intro({ modelName, componentCount }: { modelName: string; componentCount: number | null }) {
  return (
    <p className="intro" data-testid="intro">
      Each cell of the picture is one <em>component</em> of the image classifier <strong>{modelName || 'fashion-resnet'}</strong>
      {componentCount ? ` (${componentCount.toLocaleString('en-US')} in all)` : ''}: a filter of a convolution layer or a unit of a
      dense layer, one row per layer. Its colour says how much <em>keeping</em> that component raises (blue) or lowers (red) the
      selected image's correct-class margin — how far the right answer's score leads the best wrong one. The numbers come from a
      linear model fitted to hundreds of runs of the network with random sets of components switched off (COAR; Shah, Ilyas &amp;
      Madry, 2024). Click cells to switch components off for real and compare the outcome with the linear model's prediction, or
      re-run the whole analysis live below.
    </p>
  );
}
