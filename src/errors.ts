// Errors a user can fix. The CLI prints their one-line message and exits with their code,
// never a stack trace.
export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(printable(message));
    this.name = 'UserError';
  }
}

/** Longest message printed: a 5 MB name must not become a 5 MB line. */
const MAX_MESSAGE = 500;

/** One line a terminal shows as it is: control characters escaped (\\n, \\u001b), long text cut. */
export function printable(message: string): string {
  // eslint-disable-next-line no-control-regex
  const escaped = message.replace(/[\u0000-\u001f\u007f]/g, (c) => JSON.stringify(c).slice(1, -1));
  return escaped.length > MAX_MESSAGE ? `${escaped.slice(0, MAX_MESSAGE - 1)}…` : escaped;
}
