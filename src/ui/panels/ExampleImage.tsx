/** One data-set image drawn from its uint8 pixels onto a canvas (scaled up with crisp pixels). */
import { useEffect, useRef } from 'react';
import type { DatasetView } from '../../worker/protocol/protocol';

interface Props {
  dataset: DatasetView;
  index: number;
  /** Displayed size in CSS pixels. */
  size: number;
  alt: string;
  /** A pixel region to outline (e.g. where a backdoor trigger sits). */
  mark?: { top: number; left: number; height: number; width: number } | null;
}

export function ExampleImage({ dataset, index, size, alt, mark }: Props) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const { width, height, channels, pixels } = dataset;

  useEffect(() => {
    const context = canvas.current?.getContext('2d');
    if (!context) return;
    const image = context.createImageData(width, height);
    const per = width * height * channels;
    const base = index * per;
    for (let p = 0; p < width * height; p++) {
      const src = base + p * channels;
      const r = pixels[src];
      const g = channels >= 3 ? pixels[src + 1] : r;
      const b = channels >= 3 ? pixels[src + 2] : r;
      image.data.set([r, g, b, 255], p * 4);
    }
    context.putImageData(image, 0, 0);
  }, [pixels, index, width, height, channels]);

  const image = <canvas ref={canvas} width={width} height={height} className="example-image" style={{ width: size, height: size }} role="img" aria-label={alt} />;
  if (!mark) return image;
  const scale = (x: number, of: number) => `${(100 * x) / of}%`;
  return (
    <span className="marked-image" style={{ width: size, height: size }}>
      {image}
      <span className="image-mark" data-testid="image-mark" aria-hidden="true"
        style={{ top: scale(mark.top, height), left: scale(mark.left, width), height: scale(mark.height, height), width: scale(mark.width, width) }} />
    </span>
  );
}
