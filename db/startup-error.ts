/** An error whose message is a complete, readable sentence for the operator: printed alone, without a stack. */
export class StartupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StartupError';
  }
}
