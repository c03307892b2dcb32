/**
 * One base error with a stable machine-readable code. Domain code throws these; the HTTP edge
 * maps codes to statuses in one table (src/http/error-response.ts) and never the other way round.
 */
export class SwitchboardError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Input that breaks a rule the caller can fix. */
export class ValidationError extends SwitchboardError {
  constructor(message: string, details?: Record<string, unknown>, code = 'validation_failed') {
    super(code, message, details);
  }
}

export class NotFoundError extends SwitchboardError {
  constructor(what: string, id?: string) {
    super('not_found', id ? `${what} ${id} was not found` : `${what} was not found`, { what });
  }
}

export class ConflictError extends SwitchboardError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('conflict', message, details);
  }
}

export class UnauthorizedError extends SwitchboardError {
  constructor(message = 'A valid API key is required in the Authorization header (Bearer <key>)') {
    super('unauthorized', message);
  }
}

export class ForbiddenError extends SwitchboardError {
  constructor(message: string) {
    super('forbidden', message);
  }
}

/** A configuration value is missing or malformed; raised at start-up, naming the variable. */
export class ConfigError extends SwitchboardError {
  constructor(variable: string, expected: string, got?: string) {
    super(
      'config_invalid',
      `${variable} ${got === undefined ? 'is missing' : `is invalid (${JSON.stringify(got)})`}: expected ${expected}`,
      { variable },
    );
  }
}
