import { randomBytes } from 'node:crypto';
import { open, readFile, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { AUDIT_ACTIONS, NOTIFY_LEVELS, USER_ROLES, adminSettingsUpdateSchema, roomIdSchema } from '@confab/shared';
import { z } from 'zod';
import type { SavedStores } from './index.js';

/** Bumped when the file's shape changes; a file of another version is refused, never guessed at. */
const FILE_VERSION = 1;

const isoDate = z.iso.datetime().transform((v) => new Date(v));
const author = z.looseObject({ id: z.string(), name: z.string() });
const messageRef = z.looseObject({ messageId: z.string(), seq: z.int().min(1) });

// Records keep fields this version does not know (loose objects), so a newer record is carried, not dropped.
const fileSchema = z.strictObject({
  version: z.literal(FILE_VERSION),
  users: z.array(
    z.looseObject({
      id: z.string(),
      username: z.string(),
      displayName: z.string(),
      passwordHash: z.string(),
      createdAt: isoDate,
      // Roles and deactivation came after version 1 without a bump: a user without them is an active member.
      role: z.enum(USER_ROLES).default('member'),
      deactivatedAt: isoDate.nullable().default(null),
      bannedAt: isoDate.nullable().default(null),
    }),
  ),
  sessions: z.array(z.looseObject({ id: z.string(), userId: z.string(), expiresAt: isoDate, credential: z.string() })),
  messages: z.array(
    z.looseObject({
      id: z.string(),
      roomId: z.string(),
      seq: z.int().min(1),
      clientId: z.string(),
      author,
      body: z.string(),
      createdAt: z.iso.datetime(),
      recalledAt: z.iso.datetime().optional(),
      recall: messageRef.optional(),
      event: z
        .looseObject({
          type: z.enum(['created', 'joined', 'left', 'added', 'removed', 'renamed', 'topic']),
          user: author.optional(),
          name: z.string().optional(),
          topic: z.string().optional(),
        })
        .optional(),
      // Edits, replies, mentions, change entries and attachments came after version 1 without a
      // bump: a message without them is a message that has none.
      editedAt: z.iso.datetime().optional(),
      replyTo: messageRef.optional(),
      mentions: z.array(z.looseObject({ id: z.string(), username: z.string() })).optional(),
      attachments: z
        .array(
          z.looseObject({
            id: z.string(),
            name: z.string(),
            contentType: z.string(),
            size: z.int().min(0),
            kind: z.enum(['image', 'file']),
            width: z.int().min(1).optional(),
            height: z.int().min(1).optional(),
            thumbnail: z.looseObject({ width: z.int().min(1), height: z.int().min(1) }).optional(),
          }),
        )
        .optional(),
      change: z
        .looseObject({
          type: z.enum(['edit', 'reaction']),
          messageId: z.string(),
          seq: z.int().min(1),
          emoji: z.string().optional(),
          added: z.boolean().optional(),
        })
        .optional(),
    }),
  ),
  // Added after version 1 without a bump, like `rooms` below: a file without it holds no reactions.
  reactions: z
    .array(z.looseObject({ messageId: z.string(), roomId: z.string(), user: author, emoji: z.string(), at: isoDate }))
    .default([]),
  conversations: z.strictObject({
    rooms: z.array(z.looseObject({ roomId: z.string(), memberIds: z.tuple([z.string(), z.string()]), lastActivityAt: isoDate })),
    readMarks: z.array(z.looseObject({ roomId: z.string(), userId: z.string(), seq: z.int().min(0) })),
    deliveryMarks: z.array(z.looseObject({ roomId: z.string(), userId: z.string(), seq: z.int().min(0) })).default([]),
  }),
  // Added after version 1 without a bump: a file without it was written before channels and
  // groups existed and holds none, while a Confab from before refuses a file with it (an unknown
  // key) rather than load it and drop the rooms.
  rooms: z
    .strictObject({
      records: z.array(
        z.looseObject({
          id: z.string(),
          kind: z.enum(['public_channel', 'private_channel', 'group']),
          name: z.string().nullable(),
          topic: z.string(),
          memberSet: z.array(z.string()),
          createdBy: z.string(),
          createdAt: isoDate,
        }),
      ),
      memberships: z.array(z.looseObject({ roomId: z.string(), userId: z.string(), role: z.enum(['owner', 'member']), joinedAt: isoDate })),
    })
    .default({ records: [], memberships: [] }),
  // Added after version 1 without a bump, like `rooms`: a file without it holds no settings.
  notifySettings: z
    .array(
      z.looseObject({
        userId: z.string(),
        roomId: roomIdSchema,
        level: z.enum(NOTIFY_LEVELS).optional(),
        mutedUntil: isoDate.nullable(),
      }),
    )
    .default([]),
  // The administration's stores came after version 1 without a bump, like `rooms`: a file without
  // them holds no saved settings, invitations, reports or audit entries, and no first account.
  settings: z
    .strictObject({ values: z.looseObject(adminSettingsUpdateSchema.shape), firstAccountId: z.string().nullable() })
    .default({ values: {}, firstAccountId: null }),
  invitations: z
    .strictObject({
      records: z.array(
        z.looseObject({
          id: z.string(),
          tokenHash: z.string(),
          createdBy: author,
          createdAt: isoDate,
          expiresAt: isoDate,
          maxUses: z.int().min(1),
          revokedAt: isoDate.nullable(),
        }),
      ),
      uses: z.array(z.looseObject({ invitationId: z.string(), use: z.int().min(1), at: isoDate })),
    })
    .default({ records: [], uses: [] }),
  reports: z
    .array(
      z.looseObject({
        id: z.string(),
        messageId: z.string(),
        roomId: z.string(),
        reporter: author,
        reason: z.string(),
        createdAt: isoDate,
        status: z.enum(['open', 'dismissed', 'removed']),
        resolvedBy: author.nullable(),
        resolvedAt: isoDate.nullable(),
      }),
    )
    .default([]),
  audit: z
    .array(
      z.looseObject({
        id: z.string(),
        at: isoDate,
        actor: author,
        action: z.enum(AUDIT_ACTIONS),
        target: z.looseObject({ kind: z.enum(['user', 'message', 'report', 'invitation', 'settings']), id: z.string(), label: z.string() }),
        details: z.record(z.string(), z.string()).optional(),
      }),
    )
    .default([]),
});

/** The message for a file Confab cannot load: start-up stops, and the file is left as it is. */
export function unreadableStoreFile(path: string, reason: string): Error {
  return new Error(
    `${path} cannot be loaded (${reason}). Confab has not changed it. Repair it, restore a backup, or move it away to start with no data.`,
  );
}

/** The saved state in `path`; undefined when there is no file yet. Throws, naming the file, on anything else. */
export async function readStoreFile(path: string): Promise<SavedStores | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw unreadableStoreFile(path, (err as Error).message);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw unreadableStoreFile(path, `not JSON: ${(err as Error).message}`);
  }
  const parsed = fileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw unreadableStoreFile(path, `${issue.path.join('.') || 'the file'}: ${issue.message}`);
  }
  const { version: _version, ...saved } = parsed.data;
  return saved;
}

/** The text `readStoreFile` reads back. */
export function storeFileText(saved: SavedStores): string {
  return JSON.stringify({ version: FILE_VERSION, ...saved });
}

/**
 * Replaces `path` with `text` atomically: a reader (or a crash) sees the old file or the new one,
 * never a part. The file is 0600, since it holds password hashes and live session ids.
 */
export async function writeStoreFile(path: string, text: string): Promise<void> {
  // In the same folder, so the rename stays on one file system and is atomic.
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    const file = await open(temporary, 'wx', 0o600);
    try {
      await file.writeFile(text);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temporary, path);
  } catch (err) {
    await rm(temporary, { force: true });
    throw err;
  }
  await syncFolder(dirname(path));
}

// Makes the rename itself durable; some platforms (Windows) cannot open a folder, and lose only that.
async function syncFolder(folder: string): Promise<void> {
  let handle;
  try {
    handle = await open(folder, 'r');
    await handle.sync();
  } catch {
    // Best effort, see above.
  } finally {
    await handle?.close();
  }
}
