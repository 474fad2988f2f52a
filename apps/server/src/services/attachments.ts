import { fail, ok, type Ack, type AttachmentDto } from '@confab/shared';
import { createSerialByKey } from '../serialByKey.js';
import type { AppendResult, FileClaim, FileRecord, FileStore, MessageStore, StoredMessage } from '../store/ports.js';

/** The files a send claimed, and what to do with the claims once the send is settled. */
interface ClaimedAttachments {
  /** The files as the message carries them, in the order the sender listed them. */
  attachments: AttachmentDto[];
  /**
   * The message was stored (or found stored): records it on the claims of the files it carries,
   * and releases the claims of any it does not carry (a repeat whose original has other files).
   */
  settle(message: StoredMessage): Promise<void>;
  /** The send was refused or failed: releases every claim this call made. */
  release(): Promise<void>;
}

/** A send's key (author and clientId, as the message store's) and room. */
export interface SendKey {
  authorId: string;
  clientId: string;
  roomId: string;
}

const isSameSend = (claim: FileClaim, key: SendKey) => claim.authorId === key.authorId && claim.clientId === key.clientId;

const NOT_AN_UPLOAD = 'There is no such upload, or it is part of another message.';

/** What a message carries of a stored file: what clients may see (not the owner, hash or blob sizes). */
export function toAttachmentDto(record: FileRecord): AttachmentDto {
  return {
    id: record.id,
    name: record.name,
    contentType: record.contentType,
    size: record.size,
    kind: record.kind,
    ...(record.width !== undefined ? { width: record.width } : {}),
    ...(record.height !== undefined ? { height: record.height } : {}),
    ...(record.thumbnail ? { thumbnail: { width: record.thumbnail.width, height: record.thumbnail.height } } : {}),
  };
}

/**
 * Files on messages: a send claims the uploads it lists (each the sender's own and part of no
 * other message), a recall deletes them. A claim is the file store's unique insert, so two sends
 * racing for one upload cannot both have it. Without a file store there are no uploads to name.
 */
export function createAttachments(deps: { files?: FileStore; messages: Pick<MessageStore, 'findByClientId'>; now: () => Date }) {
  /**
   * Attempts of one send with files (a client retrying while its first attempt is still in flight)
   * run one at a time on this instance, so that one refused after claiming (by the rate limit)
   * cannot release the claims of another that stored the message.
   */
  const sendingOnce = createSerialByKey();

  /**
   * Stores a send with the files it lists: claims them (a refusal here stores nothing), then runs
   * `append` with them as the message carries them. A refusal from `append` (the rate limit, a
   * clientId used elsewhere) or a throw releases the claims; a stored message takes them. A repeat
   * of a send already stored claims nothing (its files are its message's) and settles its claims
   * in case its first attempt failed before it did.
   */
  function store(key: SendKey, fileIds: readonly string[], append: (attachments: AttachmentDto[]) => Promise<Ack<AppendResult>>): Promise<Ack<AppendResult>> {
    if (fileIds.length === 0) return append([]);
    return sendingOnce(`${key.authorId}:${key.clientId}`, async () => {
      const claimed = await claim(key, fileIds);
      if (!claimed.ok) return claimed;
      const files = claimed.data;
      let result: Ack<AppendResult>;
      try {
        result = await append(files?.attachments ?? []);
      } catch (err) {
        // Nothing was stored, as far as this call knows: the uploads go back to their owner.
        await files?.release().catch(() => {});
        throw err;
      }
      if (!result.ok) await files?.release();
      else if (files) await files.settle(result.data.message);
      else if (!result.data.isNew) await settleRetry(result.data.message);
      return result;
    });
  }

  /**
   * Claims the files a send lists, for `key`. Null when it repeats a send already stored: that message's files are claimed by it, and the append finds it. Refused with
   * `not_found` (field `attachments.<index>`, the first at fault) when a file is missing, someone
   * else's, or claimed by another send: one answer for all three, so it tells an outsider nothing.
   * A refusal releases the claims this call made, so a refused send holds nothing.
   */
  async function claim(key: SendKey, fileIds: readonly string[]): Promise<Ack<ClaimedAttachments | null>> {
    if (await deps.messages.findByClientId(key.authorId, key.clientId)) return ok(null);
    const { files } = deps;
    if (!files) return fail('not_found', NOT_AN_UPLOAD, { field: 'attachments.0' });
    const made: string[] = [];
    const release = async () => {
      await Promise.all(made.map((fileId) => files.releaseClaim(fileId, key.authorId, key.clientId)));
    };
    const records: FileRecord[] = [];
    // In order, one at a time: the refusal names the first file at fault, and nothing past it is claimed.
    for (const [index, fileId] of fileIds.entries()) {
      const record = await files.find(fileId);
      if (!record || record.ownerId !== key.authorId || !(await claimOne(files, key, fileId))) {
        await release();
        return fail('not_found', NOT_AN_UPLOAD, { field: `attachments.${index}` });
      }
      made.push(fileId);
      records.push(record);
    }
    return ok({
      attachments: records.map(toAttachmentDto),
      release,
      async settle(message) {
        const carried = new Set((message.attachments ?? []).map((attachment) => attachment.id));
        await Promise.all(made.map((fileId) => (carried.has(fileId) ? files.setClaimMessage(fileId, message.id) : files.releaseClaim(fileId, key.authorId, key.clientId))));
      },
    });
  }

  /**
   * Whether this send holds the file's claim now. A claim with the same key is an earlier attempt
   * of this send that failed before the message was stored; if it named another room (the client
   * reused its clientId there), it is taken back and made again, since downloads are authorised by
   * the claim's room.
   */
  async function claimOne(files: FileStore, key: SendKey, fileId: string): Promise<boolean> {
    const claim: FileClaim = { fileId, authorId: key.authorId, clientId: key.clientId, roomId: key.roomId, at: deps.now() };
    let held = await files.claim(claim);
    if (isSameSend(held, key) && held.roomId !== key.roomId) {
      await files.releaseClaim(fileId, key.authorId, key.clientId);
      held = await files.claim(claim);
    }
    return isSameSend(held, key) && held.roomId === key.roomId;
  }

  /**
   * A repeated send found its message stored: claims its files for it again and records the
   * message on the claims (idempotent), in case the first attempt failed before it did, or failed
   * after the store took the message (an answer lost on the way back), which released the claims:
   * unclaimed, the files would be their uploader's alone and the orphan sweep's. Returns the message.
   */
  async function settleRetry(stored: StoredMessage): Promise<StoredMessage> {
    const { files } = deps;
    if (!files) return stored;
    const key: SendKey = { authorId: stored.author.id, clientId: stored.clientId, roomId: stored.roomId };
    await Promise.all(
      (stored.attachments ?? []).map(async ({ id }) => {
        if ((await files.find(id)) && (await claimOne(files, key, id))) await files.setClaimMessage(id, stored.id);
      }),
    );
    return stored;
  }

  /** Removes a recalled message's files: their bytes, records and claims. Idempotent. */
  async function remove(attachments: readonly AttachmentDto[]): Promise<void> {
    const { files } = deps;
    if (files) await Promise.all(attachments.map((attachment) => files.delete(attachment.id)));
  }

  return { store, settleRetry, remove };
}

export type Attachments = ReturnType<typeof createAttachments>;
