/**
 * The few host globals the engine uses, declared for its own typecheck (tsconfig.json beside the
 * types folder), which leaves out the DOM library and Node's types on purpose: the engine runs in a
 * page, a Web Worker and Node alike, so it may use only what all three provide. Using anything
 * else (document, window, Buffer, process, …) fails `npm run typecheck`.
 */
interface EngineTimerHandle { readonly __engineTimer?: never }

declare var performance: { now(): number };
declare function setTimeout(callback: () => void, ms?: number): EngineTimerHandle | number;
declare function structuredClone<T>(value: T): T;
declare var console: { log(...data: unknown[]): void; warn(...data: unknown[]): void; error(...data: unknown[]): void };

declare class TextEncoder {
  encode(input?: string): Uint8Array;
}
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean });
  decode(input?: ArrayBufferView | ArrayBufferLike, options?: { stream?: boolean }): string;
}
declare class URL {
  constructor(url: string | URL, base?: string | URL);
  href: string;
  origin: string;
  protocol: string;
  host: string;
  hostname: string;
  port: string;
  pathname: string;
  search: string;
  hash: string;
  toString(): string;
}
interface AbortSignal {
  readonly aborted: boolean;
  readonly reason: unknown;
}
