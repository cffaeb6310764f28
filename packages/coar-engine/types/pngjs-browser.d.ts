/**
 * pngjs's self-contained browser build, as the engine's typecheck sees it: src/coar/image-decode.ts
 * declares the few members it uses itself. (The package's own types pull in Node's, which the
 * engine's typecheck leaves out.)
 */
declare const pngBrowser: unknown;
export = pngBrowser;
