/** The slice of a structured logger (pino's shape) the HTTP layer writes to. */
export interface Logger {
  info(fields: object, message?: string): void;
  warn(fields: object, message?: string): void;
  error(fields: object, message?: string): void;
}
