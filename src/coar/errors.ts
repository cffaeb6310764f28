/** An error whose message is meant for the person using the tool: what is wrong and where. */
export class CoarError extends Error {
  constructor(message: string, readonly code: string = 'invalid-input') {
    super(message);
    this.name = 'CoarError';
  }
}

export function check(condition: unknown, message: string, code?: string): asserts condition {
  if (!condition) throw new CoarError(message, code);
}
