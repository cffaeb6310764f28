import { initNodeBackend } from '../src/node/backend';

// Engine tests run on the wasm backend, as the CLI does; a test may switch to cpu itself.
await initNodeBackend('wasm');
