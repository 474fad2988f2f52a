import { LIMITS, type AttachmentDto, type MentionDto, type RoomEventDto } from '@confab/shared';
import { Schema, type Connection, type Types } from 'mongoose';
import type { StoredChange, StoredMessage } from '../ports.js';
import type { StreamCounts } from './streamCounts.js';

export interface MessageDoc {
  _id: Types.ObjectId;
  roomId: string;
  seq: number;
  clientId: string;
  author: { id: string; name: string };
  body: string;
  createdAt: Date;
  recalledAt?: Date;
  /** The time of the latest edit. */
  editedAt?: Date;
  /**
   * Recall entries: the message recalled; `byModerator` on a moderator's removal; `authorId`, the
   * recalled message's author, whom unread counts go by (absent on entries stored before a
   * moderator could remove: those were always written by the message's author).
   */
  recall?: { messageId: string; seq: number; byModerator?: boolean; authorId?: string };
  /** Set with `recalledAt` when a moderator removed the message. */
  removedByModerator?: boolean;
  /** Room event entries: what changed (see RoomEventDto). */
  event?: RoomEventDto;
  /** Change entries (edits, reactions): what changed. They never count as unread. */
  change?: StoredChange;
  /** Replies: the original's id and seq. */
  replyTo?: { messageId: string; seq: number };
  /** Whom the current text mentions; absent when nobody. */
  mentions?: MentionDto[];
  /** The files sent with the message, as they were when it was sent; absent when none, and once recalled. */
  attachments?: AttachmentDto[];
  /** Rooms that count authors: the stream's counts up to this entry (see streamCounts.ts). */
  counts?: StreamCounts;
}

export const authorSchema = new Schema<MessageDoc['author']>(
  {
    id: { type: String, required: true, match: /^[0-9a-f]{24}$/ },
    // Limits count code points; mongoose counts UTF-16 units, and a code point takes at most two.
    name: { type: String, required: true, maxlength: LIMITS.displayNameMaxLength * 2 },
  },
  { _id: false, strict: 'throw' },
);

const messageRefSchema = new Schema<NonNullable<MessageDoc['recall']>>(
  {
    messageId: { type: String, required: true, match: /^[0-9a-f]{24}$/ },
    seq: { type: Number, required: true, min: 1, validate: { validator: Number.isSafeInteger, message: 'seq must be an integer' } },
  },
  { _id: false, strict: 'throw' },
);

const recallSchema = new Schema<NonNullable<MessageDoc['recall']>>(
  {
    messageId: { type: String, required: true, match: /^[0-9a-f]{24}$/ },
    seq: { type: Number, required: true, min: 1, validate: { validator: Number.isSafeInteger, message: 'seq must be an integer' } },
    byModerator: { type: Boolean },
    authorId: { type: String, match: /^[0-9a-f]{24}$/ },
  },
  { _id: false, strict: 'throw' },
);

const changeSchema = new Schema<StoredChange>(
  {
    type: { type: String, required: true, enum: ['edit', 'reaction'] },
    messageId: { type: String, required: true, match: /^[0-9a-f]{24}$/ },
    seq: { type: Number, required: true, min: 1, validate: { validator: Number.isSafeInteger, message: 'seq must be an integer' } },
    emoji: { type: String, minlength: 1, maxlength: LIMITS.reactionEmojiMaxLength },
    added: { type: Boolean },
  },
  { _id: false, strict: 'throw' },
);

const mentionSchema = new Schema<MentionDto>(
  {
    id: { type: String, required: true, match: /^[0-9a-f]{24}$/ },
    username: { type: String, required: true, maxlength: LIMITS.usernameMaxLength },
  },
  { _id: false, strict: 'throw' },
);

const pixelsType = { type: Number, min: 1, validate: { validator: Number.isSafeInteger, message: 'pixels must be an integer' } } as const;

const attachmentSchema = new Schema<AttachmentDto>(
  {
    id: { type: String, required: true, match: /^[0-9a-f]{24}$/ },
    // A file name's limit counts code points, as the body's does: see authorSchema.
    name: { type: String, required: true, minlength: 1, maxlength: LIMITS.fileNameMaxLength * 2 },
    contentType: { type: String, required: true, minlength: 1, maxlength: 255 },
    size: { type: Number, required: true, min: 0, validate: { validator: Number.isSafeInteger, message: 'size must be an integer' } },
    kind: { type: String, required: true, enum: ['image', 'file'] },
    width: pixelsType,
    height: pixelsType,
    thumbnail: { type: new Schema({ width: { ...pixelsType, required: true }, height: { ...pixelsType, required: true } }, { _id: false, strict: 'throw' }) },
  },
  { _id: false, strict: 'throw' },
);

const ROOM_EVENT_TYPES: RoomEventDto['type'][] = ['created', 'joined', 'left', 'added', 'removed', 'renamed', 'topic'];

const eventSchema = new Schema<RoomEventDto>(
  {
    type: { type: String, required: true, enum: ROOM_EVENT_TYPES },
    user: { type: authorSchema },
    name: { type: String, maxlength: LIMITS.channelNameMaxLength * 2 },
    topic: { type: String, maxlength: LIMITS.topicMaxLength * 2 },
  },
  { _id: false, strict: 'throw' },
);

const seqType = { type: Number, required: true, min: 1, validate: { validator: Number.isSafeInteger, message: 'seq must be an integer' } } as const;
const countType = { type: Number, required: true, min: 0, validate: { validator: Number.isSafeInteger, message: 'counts must be integers' } } as const;
/** A user's or message's id as stored in strings: an ObjectId's 24 hex digits. */
export const objectIdHexType = { type: String, required: true, match: /^[0-9a-f]{24}$/ } as const;

const countsSchema = new Schema<StreamCounts>(
  {
    sent: [new Schema({ authorId: objectIdHexType, count: countType }, { _id: false, strict: 'throw' })],
    recalls: countType,
    recentRecalls: [new Schema({ seq: seqType, target: seqType, authorId: objectIdHexType }, { _id: false, strict: 'throw' })],
  },
  { _id: false, strict: 'throw' },
);

const messageSchema = new Schema<MessageDoc>(
  {
    roomId: { type: String, required: true, minlength: 1, maxlength: 128 },
    seq: { type: Number, required: true, min: 1, validate: { validator: Number.isSafeInteger, message: 'seq must be an integer' } },
    clientId: { type: String, required: true, minlength: 1, maxlength: LIMITS.clientIdMaxLength },
    author: { type: authorSchema, required: true },
    // A recalled message keeps its place in the stream with an empty body; recall, room event and
    // change entries have none, and a message of files only may have none.
    body: {
      type: String,
      maxlength: LIMITS.bodyMaxLength * 2,
      required: [
        function (this: MessageDoc) {
          return this.recalledAt == null && this.recall == null && this.event == null && this.change == null && !this.attachments?.length;
        },
        'body is required',
      ],
    },
    createdAt: { type: Date, required: true },
    recalledAt: { type: Date },
    removedByModerator: { type: Boolean },
    editedAt: { type: Date },
    recall: { type: recallSchema },
    event: { type: eventSchema },
    change: { type: changeSchema },
    replyTo: { type: messageRefSchema },
    // No default: a message without mentions has no field (mongoose would otherwise store []).
    mentions: { type: [mentionSchema], default: undefined },
    attachments: { type: [attachmentSchema], default: undefined },
    counts: { type: countsSchema },
  },
  { collection: 'messages', strict: 'throw', strictQuery: 'throw', versionKey: false },
);
// The sequence guarantee: two messages can never share a room position…
messageSchema.index({ roomId: 1, seq: 1 }, { unique: true });
// …and a retried send can never be stored twice.
messageSchema.index({ 'author.id': 1, clientId: 1 }, { unique: true });
// A ban's removal walks one author's messages in id order (MessageStore.authoredBy).
messageSchema.index({ 'author.id': 1, _id: 1 });

export function messageModel(connection: Connection) {
  return connection.model<MessageDoc>('Message', messageSchema);
}

export type MessageModel = ReturnType<typeof messageModel>;

export function toStoredMessage(doc: MessageDoc): StoredMessage {
  return {
    id: doc._id.toHexString(),
    roomId: doc.roomId,
    seq: doc.seq,
    clientId: doc.clientId,
    author: { id: doc.author.id, name: doc.author.name },
    body: doc.body,
    createdAt: doc.createdAt.toISOString(),
    ...(doc.recalledAt ? { recalledAt: doc.recalledAt.toISOString() } : {}),
    ...(doc.removedByModerator ? { removedByModerator: true } : {}),
    ...(doc.editedAt ? { editedAt: doc.editedAt.toISOString() } : {}),
    ...(doc.recall ? { recall: { messageId: doc.recall.messageId, seq: doc.recall.seq, ...(doc.recall.byModerator ? { byModerator: true } : {}) } } : {}),
    ...(doc.event ? { event: toRoomEventDto(doc.event) } : {}),
    ...(doc.change ? { change: toStoredChange(doc.change) } : {}),
    ...(doc.replyTo ? { replyTo: { messageId: doc.replyTo.messageId, seq: doc.replyTo.seq } } : {}),
    ...(doc.mentions?.length ? { mentions: doc.mentions.map((m) => ({ id: m.id, username: m.username })) } : {}),
    ...(doc.attachments?.length ? { attachments: doc.attachments.map(toAttachmentDto) } : {}),
  };
}

/** Only the fields the attachment has (a document read back may carry nulls or extra keys a driver added). */
export function toAttachmentDto(attachment: AttachmentDto): AttachmentDto {
  return {
    id: attachment.id,
    name: attachment.name,
    contentType: attachment.contentType,
    size: attachment.size,
    kind: attachment.kind,
    ...(attachment.width != null ? { width: attachment.width } : {}),
    ...(attachment.height != null ? { height: attachment.height } : {}),
    ...(attachment.thumbnail ? { thumbnail: { width: attachment.thumbnail.width, height: attachment.thumbnail.height } } : {}),
  };
}

/** Only the fields the change has. */
export function toStoredChange(change: StoredChange): StoredChange {
  return {
    type: change.type,
    messageId: change.messageId,
    seq: change.seq,
    ...(change.emoji != null ? { emoji: change.emoji } : {}),
    ...(change.added != null ? { added: change.added } : {}),
  };
}

/** Only the fields the event has: a cleared topic (`''`) is kept, an absent one stays absent. */
export function toRoomEventDto(event: RoomEventDto): RoomEventDto {
  return {
    type: event.type,
    ...(event.user ? { user: { id: event.user.id, name: event.user.name } } : {}),
    ...(event.name != null ? { name: event.name } : {}),
    ...(event.topic != null ? { topic: event.topic } : {}),
  };
}
