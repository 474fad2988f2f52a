import type { Logger } from '../../logger.js';
import type { AuditModel } from './auditModel.js';
import type { ActivityModel, ConversationModel } from './conversationModel.js';
import { isNotImplementedError } from './driverErrors.js';
import type { FileClaimModel } from './fileClaimModel.js';
import type { FileModel } from './fileModel.js';
import type { InvitationModel, InvitationUseModel } from './invitationModel.js';
import type { MembershipModel } from './membershipModel.js';
import type { MessageModel } from './messageModel.js';
import type { NotifySettingModel } from './notifySettingModel.js';
import type { PendingRecallModel } from './pendingRecallModel.js';
import type { ReactionModel } from './reactionModel.js';
import type { ReadMarkModel } from './readMarkModel.js';
import type { ReportModel } from './reportModel.js';
import type { RoomModel } from './roomModel.js';
import type { SessionModel } from './sessionModel.js';
import type { ServerClaimModel, SettingModel } from './settingModel.js';
import type { UserModel } from './userModel.js';
import type { WriteLockModel } from './writeLockModel.js';

/**
 * Builds the indexes the stores rely on for correctness (uniqueness), once at start-up rather than
 * lazily from mongoose's autoIndex, so that a missing index fails start-up instead of a later send.
 */
export async function ensureIndexes(
  models: {
    users: UserModel;
    messages: MessageModel;
    sessions: SessionModel;
    conversations: ConversationModel;
    activity: ActivityModel;
    readMarks: ReadMarkModel;
    deliveryMarks: ReadMarkModel;
    reactions: ReactionModel;
    pendingRecalls: PendingRecallModel;
    rooms: RoomModel;
    memberships: MembershipModel;
    files: FileModel;
    fileClaims: FileClaimModel;
    notifySettings: NotifySettingModel;
    settings: SettingModel;
    serverClaims: ServerClaimModel;
    invitations: InvitationModel;
    invitationUses: InvitationUseModel;
    reports: ReportModel;
    audit: AuditModel;
    writeLocks: WriteLockModel;
  },
  logger: Logger,
): Promise<void> {
  await models.users.createIndexes();
  await models.messages.createIndexes();
  await models.conversations.createIndexes();
  await models.activity.createIndexes();
  await models.readMarks.createIndexes();
  await models.deliveryMarks.createIndexes();
  await models.reactions.createIndexes();
  await models.pendingRecalls.createIndexes();
  await models.rooms.createIndexes();
  await models.memberships.createIndexes();
  await models.sessions.createIndexes();
  await models.files.createIndexes();
  await models.notifySettings.createIndexes();
  await models.invitations.createIndexes();
  await models.invitationUses.createIndexes();
  await models.reports.createIndexes();
  // Only the _id index, but creating the collection now means a first claim never races its creation.
  await models.fileClaims.createCollection();
  await models.serverClaims.createCollection();
  await models.settings.createCollection();
  await models.audit.createCollection();
  await models.writeLocks.createCollection();
  try {
    await models.sessions.collection.createIndex({ expiresAt: 1 }, { expireAfterSeconds: 0, name: 'expiresAt_ttl' });
  } catch (err) {
    if (!isNotImplementedError(err)) throw err;
    // FerretDB 1.x has no TTL indexes; the session store deletes an expired session when it is next looked up.
    logger.info('the database has no TTL indexes: expired sessions are removed when next looked up');
  }
}
