/** A run file's bytes with its JSON header rewritten as text (for forged-header tests). */
export function rewriteRunHeader(bytes: Uint8Array, edit: (header: string) => string): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(12, true);
  const oldDataStart = Math.ceil((16 + headerLength) / 8) * 8;
  const header = new TextEncoder().encode(edit(new TextDecoder().decode(bytes.subarray(16, 16 + headerLength))));
  const dataStart = Math.ceil((16 + header.length) / 8) * 8;
  const out = new Uint8Array(dataStart + bytes.length - oldDataStart);
  out.set(bytes.subarray(0, 12));
  new DataView(out.buffer).setUint32(12, header.length, true);
  out.set(header, 16);
  out.set(bytes.subarray(oldDataStart), dataStart);
  return out;
}
