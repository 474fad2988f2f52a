import mongoose from 'mongoose';
import type { BareMessage } from './log.js';

/**
 * The least a server can do to store a message: one insert into a collection with Confab's two
 * unique indexes, the seq already known. What Confab's database path costs above this is its own.
 */
export async function openMongoSink(url: string, dbName: string): Promise<{ store(message: BareMessage): Promise<void>; close(): Promise<void> }> {
  const connection = await mongoose.createConnection(url, { dbName, serverSelectionTimeoutMS: 10_000 }).asPromise();
  const messages = connection.collection('bare_messages');
  await messages.createIndex({ roomId: 1, seq: 1 }, { unique: true });
  await messages.createIndex({ 'author.id': 1, clientId: 1 }, { unique: true });
  return {
    async store(message) {
      await messages.insertOne({ ...message, createdAt: new Date(message.createdAt) });
    },
    close: () => connection.close(),
  };
}
