/**
 * Saving a chart: the SVG serialised as a standalone file (every style is an attribute, so it
 * looks the same outside the page), or drawn onto a canvas and saved as PNG.
 */
import { downloadBlob } from '../state/download';

function size(svg: SVGSVGElement): { width: number; height: number } {
  const box = svg.viewBox.baseVal;
  return box && box.width > 0 ? { width: box.width, height: box.height } : { width: svg.clientWidth || 600, height: svg.clientHeight || 400 };
}

/** The chart as a standalone SVG document. */
export function svgDocument(svg: SVGSVGElement): string {
  const { width, height } = size(svg);
  const clone = svg.cloneNode(true) as SVGSVGElement;
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  clone.setAttribute('width', String(width));
  clone.setAttribute('height', String(height));
  clone.removeAttribute('class');
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(clone)}`;
}

export function downloadSvg(svg: SVGSVGElement, stem: string): void {
  downloadBlob(`${stem}.svg`, new Blob([svgDocument(svg)], { type: 'image/svg+xml' }));
}

/** Draws the SVG onto a canvas `scale` times its size, on white, and saves it as PNG. */
export async function downloadPng(svg: SVGSVGElement, stem: string, scale: number): Promise<void> {
  const { width, height } = size(svg);
  const url = URL.createObjectURL(new Blob([svgDocument(svg)], { type: 'image/svg+xml' }));
  try {
    const image = new Image();
    await new Promise<void>((resolve, reject) => {
      image.onload = () => resolve();
      image.onerror = () => reject(new Error('the browser could not draw the chart as an image'));
      image.src = url;
    });
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(width * scale);
    canvas.height = Math.round(height * scale);
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('no 2D canvas is available');
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(image, 0, 0, canvas.width, canvas.height);
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
    if (!blob) throw new Error('the canvas could not be encoded as PNG');
    downloadBlob(`${stem}.png`, blob);
  } finally {
    URL.revokeObjectURL(url);
  }
}
