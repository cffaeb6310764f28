/**
 * Lets the worker's event loop run (so a `cancel` message can arrive) in the middle of a long
 * job. Promise chains alone never yield: on wasm and cpu, tensor reads resolve as microtasks.
 */
export function yieldToEvents(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
