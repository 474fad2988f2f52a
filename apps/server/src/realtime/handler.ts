import { fail, validate, type Ack } from '@confab/shared';
import type { z } from 'zod';
import type { ClientLog } from '../logging/sampledLog.js';
import { StoreUnavailableError } from '../store/errors.js';

type AckCallback = (result: Ack<unknown>) => void;

/**
 * Wraps an event handler so that it never throws: the payload is validated first, the ack is
 * always called exactly once, and unexpected failures are logged and answered with `internal`.
 * An event without an ack callback is dropped and logged, since its sender could not learn the
 * outcome. Logs go through the client's limited log: a client cannot flood the server's log.
 */
export function handleEvent<S extends z.ZodType, T>(
  logger: Pick<ClientLog, 'warn' | 'error'>,
  event: string,
  schema: S,
  run: (input: z.output<S>) => Promise<Ack<T>>,
) {
  return async (...args: unknown[]): Promise<void> => {
    const ack = typeof args.at(-1) === 'function' ? (args.pop() as AckCallback) : undefined;
    if (!ack) {
      logger.warn({ event }, 'dropped an event sent without an ack callback');
      return;
    }
    if (args.length !== 1) {
      ack(fail('invalid_payload', 'Send exactly one payload object and an ack callback.', { field: '' }));
      return;
    }
    const input = validate(schema, args[0]);
    if (!input.ok) {
      ack(input);
      return;
    }
    try {
      ack(await run(input.data));
    } catch (err) {
      if (err instanceof StoreUnavailableError) {
        logger.warn({ event, err: err.message }, 'store unavailable');
        ack(fail('unavailable', 'The database is unreachable; nothing was stored. Try again shortly.'));
        return;
      }
      logger.error({ event, err }, 'event handler failed');
      ack(fail('internal', 'Something went wrong on the server; nothing was stored.'));
    }
  };
}
