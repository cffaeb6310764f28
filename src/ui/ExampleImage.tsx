/** One data-set image drawn from its uint8 pixels onto a canvas (scaled up with crisp pixels). */
import { useEffect, useRef } from 'react';
import type { DatasetView } from '../worker/protocol';

interface Props {
  dataset: DatasetView;
  index: number;
  /** Displayed size in CSS pixels. */
  size: number;
  alt: string;
}

export function ExampleImage({ dataset, index, size, alt }: Props) {
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

  return <canvas ref={canvas} width={width} height={height} className="example-image" style={{ width: size, height: size }} role="img" aria-label={alt} />;
}
