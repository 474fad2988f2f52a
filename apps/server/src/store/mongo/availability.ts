import mongoose, { type Connection } from 'mongoose';
import { StoreUnavailableError } from '../errors.js';
import { isUnavailableError } from './driverErrors.js';

/**
 * Runs store operations so that an unreachable database surfaces as StoreUnavailableError. While
 * the driver already knows the server is gone, operations are refused at once instead of each
 * waiting out server selection: a send during an outage is answered immediately. `onUnavailable`
 * hears of every failure that means the server could not serve (unreachable, restarting, no longer
 * primary): each may mean writes were lost.
 */
export function createAvailabilityGuard(connection: Connection, onUnavailable: () => void = () => {}) {
  return async function guarded<T>(operation: () => Promise<T>): Promise<T> {
    if (connection.readyState !== mongoose.ConnectionStates.connected) throw new StoreUnavailableError();
    try {
      return await operation();
    } catch (err) {
      if (isUnavailableError(err)) {
        onUnavailable();
        throw new StoreUnavailableError(undefined, { cause: err });
      }
      throw err;
    }
  };
}

export type AvailabilityGuard = ReturnType<typeof createAvailabilityGuard>;
