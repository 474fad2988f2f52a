import { EventEmitter } from 'node:events';
import mongoose, { type Connection } from 'mongoose';
import { describe, expect, it } from 'vitest';
import { createAvailabilityGuard } from '../src/store/mongo/availability.js';
import { watchForLostWrites } from '../src/store/mongo/lostWrites.js';

// What a connection and its driver report when the database may have lost writes: replica-set
// failovers and restarts between heartbeats cannot be staged with the local FerretDB, so the
// driver's events are played to the watcher here (mongoLostWrites.test.ts drops a real link).

const { ObjectId, MongoNetworkError, MongoServerError } = mongoose.mongo;

function watched() {
  const client = new EventEmitter();
  const connection = Object.assign(new EventEmitter(), { getClient: () => client }) as unknown as Connection;
  let losses = 0;
  watchForLostWrites(connection, () => (losses += 1));
  return { connection, client, losses: () => losses };
}

const server = (address: string, fields: { type: string; electionId?: InstanceType<typeof ObjectId>; processId?: InstanceType<typeof ObjectId> }) => ({
  address,
  type: fields.type,
  electionId: fields.electionId ?? null,
  topologyVersion: fields.processId ? { processId: fields.processId, counter: 0 } : null,
});
const topology = (...servers: ReturnType<typeof server>[]) => ({ servers: new Map(servers.map((s) => [s.address, s])) });

describe('noticing that the database may have lost writes', () => {
  it('when the connection drops and when it returns', () => {
    const { connection, losses } = watched();
    connection.emit('disconnected');
    connection.emit('reconnected');
    expect(losses()).toBe(2);
  });

  it('when a server answers from a new process (it restarted between two heartbeats), not at every heartbeat', () => {
    const { client, losses } = watched();
    const [first, second] = [new ObjectId(), new ObjectId()];
    const change = (from: ReturnType<typeof server>, to: ReturnType<typeof server>) => client.emit('serverDescriptionChanged', { previousDescription: from, newDescription: to });
    change(server('db:27017', { type: 'Unknown' }), server('db:27017', { type: 'Standalone', processId: first }));
    change(server('db:27017', { type: 'Standalone', processId: first }), server('db:27017', { type: 'Standalone', processId: first }));
    expect(losses()).toBe(0);
    change(server('db:27017', { type: 'Standalone', processId: first }), server('db:27017', { type: 'Standalone', processId: second }));
    expect(losses()).toBe(1);
  });

  it('when another server becomes primary, or the primary is elected again, even with no moment without one', () => {
    const { client, losses } = watched();
    const [term1, term2] = [new ObjectId(), new ObjectId()];
    const change = (from: ReturnType<typeof topology>, to: ReturnType<typeof topology>) => client.emit('topologyDescriptionChanged', { previousDescription: from, newDescription: to });
    const a1 = server('a:27017', { type: 'RSPrimary', electionId: term1 });
    const b = server('b:27017', { type: 'RSSecondary' });
    change(topology(server('a:27017', { type: 'Unknown' }), b), topology(a1, b));
    change(topology(a1, b), topology(a1, server('b:27017', { type: 'RSSecondary' })));
    expect(losses()).toBe(0);
    change(topology(a1, b), topology(server('a:27017', { type: 'RSSecondary' }), server('b:27017', { type: 'RSPrimary', electionId: term2 })));
    expect(losses()).toBe(1);
    change(topology(a1, b), topology(server('a:27017', { type: 'RSPrimary', electionId: term2 }), b));
    expect(losses()).toBe(2);
  });

  it('when an operation fails because the server cannot serve (unreachable, stepped down), not when a request is refused', async () => {
    let losses = 0;
    const guarded = createAvailabilityGuard({ readyState: mongoose.ConnectionStates.connected } as Connection, () => (losses += 1));
    await expect(guarded(() => Promise.reject(new MongoServerError({ message: 'E11000 duplicate key', code: 11000 })))).rejects.toThrow(/duplicate/);
    expect(losses).toBe(0);
    await expect(guarded(() => Promise.reject(new MongoNetworkError('connection reset')))).rejects.toThrow(/unreachable|unavailable/i);
    await expect(guarded(() => Promise.reject(new MongoServerError({ message: 'not primary', code: 10107 })))).rejects.toThrow();
    expect(losses).toBe(2);
  });
});
