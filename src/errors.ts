// Errors a user can fix. The CLI prints their one-line message and exits with their code,
// never a stack trace.
export class UserError extends Error {
  constructor(message: string, readonly exitCode = 2) {
    super(message);
    this.name = 'UserError';
  }
}
