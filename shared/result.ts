import { z } from 'zod';

/** Stable error codes: the UI, the CLI and tests key on these, never on message text. */
export const errorCodes = [
  'invalid-request',
  'not-found',
  'empty-input',
  'unsupported-format',
  'corrupt-file',
  'unsafe-archive',
  'archive-too-large',
  'invalid-option',
  'io-error',
  'disconnected',
  'internal',
  /** The workspace is open read-only (another process owns it, or the disk refuses writes). */
  'read-only',
  /** The user stopped it (an import cancelled) before anything was stored. */
  'cancelled',
  /** Bigger than a limit of the lab (file size, pixels, values); the message names the limit. */
  'too-large',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

export const labErrorSchema = z.object({
  code: z.enum(errorCodes),
  message: z.string(),
  detail: z.string().optional(),
});

export type LabErrorData = z.infer<typeof labErrorSchema>;

export type Result<T> = { ok: true; value: T } | { ok: false; error: LabErrorData };

export function resultSchema<T extends z.ZodType>(value: T) {
  return z.discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), value }),
    z.object({ ok: z.literal(false), error: labErrorSchema }),
  ]);
}

/** A domain error whose code and message cross process boundaries intact. */
export class LabError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly detail?: string,
  ) {
    super(message);
    this.name = 'LabError';
  }

  toData(): LabErrorData {
    return this.detail === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, detail: this.detail };
  }
}

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail<T = never>(error: LabErrorData): Result<T> {
  return { ok: false, error };
}

/** Turns anything thrown into error data; unexpected errors keep their message but not their stack. */
export function toErrorData(cause: unknown): LabErrorData {
  if (cause instanceof LabError) return cause.toData();
  const message = cause instanceof Error ? cause.message : String(cause);
  return { code: 'internal', message };
}
