import mongoose from 'mongoose';
import type { Logger } from '../../logger.js';
import type { Stores } from '../ports.js';
import { auditModel } from './auditModel.js';
import { createAvailabilityGuard } from './availability.js';
import { connectWithRetry } from './connect.js';
import { activityModel, conversationModel } from './conversationModel.js';
import { fileClaimModel } from './fileClaimModel.js';
import { fileModel } from './fileModel.js';
import { GridFsBlobs } from './gridFsBlobs.js';
import { GridFsFileStore } from './gridFsFileStore.js';
import { ensureIndexes } from './indexes.js';
import { invitationModel, invitationUseModel } from './invitationModel.js';
import { watchForLostWrites } from './lostWrites.js';
import { membershipModel } from './membershipModel.js';
import { messageModel } from './messageModel.js';
import { backfillDisplayNameKeys } from './migrations.js';
import { MongoAuditStore } from './mongoAuditStore.js';
import { MongoConversationStore } from './mongoConversationStore.js';
import { MongoInvitationStore } from './mongoInvitationStore.js';
import { MongoMessageStore } from './mongoMessageStore.js';
import { MongoNotifySettingStore } from './mongoNotifySettingStore.js';
import { MongoReactionStore } from './mongoReactionStore.js';
import { MongoReportStore } from './mongoReportStore.js';
import { MongoRoomStore } from './mongoRoomStore.js';
import { MongoSessionStore } from './mongoSessionStore.js';
import { MongoSettingsStore } from './mongoSettingsStore.js';
import { MongoUserStore } from './mongoUserStore.js';
import { notifySettingModel } from './notifySettingModel.js';
import { pendingRecallModel } from './pendingRecallModel.js';
import { PendingRecalls } from './pendingRecalls.js';
import { reactionModel } from './reactionModel.js';
import { deliveryMarkModel, readMarkModel } from './readMarkModel.js';
import { reportModel } from './reportModel.js';
import { roomModel } from './roomModel.js';
import { sessionModel } from './sessionModel.js';
import { serverClaimModel, settingModel } from './settingModel.js';
import { StreamCache } from './streamCache.js';
import { userModel } from './userModel.js';
import { writeLockModel } from './writeLockModel.js';
import { WriteLocks } from './writeLocks.js';

export interface MongoStoresOptions {
  logger: Logger;
  /** Database name; defaults to the one in the URL, else `confab`. */
  dbName?: string;
  /** How long start-up retries an unreachable server (default 30 s). */
  connectTimeoutMs?: number;
  /** How long one operation waits for a reachable server before it is `unavailable` (default 2 s). */
  serverSelectionTimeoutMs?: number;
  /** How soon a returning server is noticed (default 1 s). */
  heartbeatFrequencyMs?: number;
}

/** Stores backed by MongoDB (or a wire-compatible server) through a dedicated mongoose connection. */
export async function createMongoStores(url: string, options: MongoStoresOptions): Promise<Stores> {
  const { connection, prepared: models } = await connectWithRetry(
    url,
    {
      logger: options.logger,
      dbName: options.dbName,
      connectTimeoutMs: options.connectTimeoutMs ?? 30_000,
      serverSelectionTimeoutMs: options.serverSelectionTimeoutMs ?? 2_000,
      heartbeatFrequencyMs: options.heartbeatFrequencyMs ?? 1_000,
    },
    async (c) => {
      const models = {
        users: userModel(c),
        messages: messageModel(c),
        sessions: sessionModel(c),
        conversations: conversationModel(c),
        activity: activityModel(c),
        readMarks: readMarkModel(c),
        deliveryMarks: deliveryMarkModel(c),
        reactions: reactionModel(c),
        pendingRecalls: pendingRecallModel(c),
        rooms: roomModel(c),
        memberships: membershipModel(c),
        files: fileModel(c),
        fileClaims: fileClaimModel(c),
        notifySettings: notifySettingModel(c),
        settings: settingModel(c),
        serverClaims: serverClaimModel(c),
        invitations: invitationModel(c),
        invitationUses: invitationUseModel(c),
        reports: reportModel(c),
        audit: auditModel(c),
        writeLocks: writeLockModel(c),
      };
      await ensureIndexes(models, options.logger);
      await GridFsBlobs.ensureIndexes(c);
      await backfillDisplayNameKeys(models.users, options.logger);
      return models;
    },
  );
  // What the message store remembers of the stream holds only while the database keeps every
  // write it acknowledged: forgotten whenever it may not have.
  const streamCache = new StreamCache();
  watchForLostWrites(connection, () => streamCache.clear());
  const guarded = createAvailabilityGuard(connection, () => streamCache.clear());
  let isClosing = false;
  connection.on('disconnected', () => {
    if (!isClosing) options.logger.warn('lost the connection to MongoDB; sends are answered `unavailable` until it returns');
  });
  connection.on('reconnected', () => options.logger.info('reconnected to MongoDB'));

  return {
    kind: 'mongodb',
    users: new MongoUserStore(models.users, guarded, new WriteLocks(models.writeLocks)),
    messages: new MongoMessageStore({
      messages: models.messages,
      guarded,
      cache: streamCache,
      pendingRecalls: new PendingRecalls(models.pendingRecalls, models.messages),
    }),
    reactions: new MongoReactionStore(models.reactions, guarded),
    sessions: new MongoSessionStore(models.sessions, guarded),
    conversations: new MongoConversationStore(models, guarded),
    rooms: new MongoRoomStore(models, guarded),
    notifySettings: new MongoNotifySettingStore(models.notifySettings, guarded),
    files: new GridFsFileStore(models, new GridFsBlobs(connection), guarded),
    settings: new MongoSettingsStore(models, guarded),
    invitations: new MongoInvitationStore(models, guarded),
    reports: new MongoReportStore(models.reports, guarded),
    audit: new MongoAuditStore(models.audit, guarded),
    async isReady() {
      if (connection.readyState !== mongoose.ConnectionStates.connected) return false;
      try {
        await connection.db?.command({ ping: 1 });
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      isClosing = true;
      await connection.close();
    },
  };
}
