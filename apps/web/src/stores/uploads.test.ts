import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { reactive } from 'vue';
import type { MessageDto, MessagePage, ServerSettings } from '@confab/shared';
import { loadLocale } from '../i18n';
import { errorText } from '../i18n/errors';
import { loadDraft, saveDraft } from '../lib/draftStorage';
import { createRoomMessages, type RoomMessages, type RoomTransport } from '../lib/roomMessages';
import type { Result } from '../services/request';
import { ALICE_USER, BOB_USER, message } from '../testing/factories';
import { pointPageAt, startUploadServer, type UploadServer } from '../testing/uploadServer.mjs';
import { useSessionStore } from './session';
import { useSettingsStore } from './settings';
import { PARALLEL_UPLOADS, noticeText, useUploadsStore } from './uploads';

// Uploads go to a real HTTP server on a free port (see testing/uploadServer.mjs); only the
// socket side of sending (the room's transport) is a stand-in, as in the composer's tests.
let server: UploadServer;
beforeEach(async () => {
  localStorage.clear();
  setActivePinia(createPinia());
  useSessionStore().user = ALICE_USER;
  useSettingsStore().settings = { uploadMaxBytes: 1024 * 1024 } as ServerSettings;
  server = await startUploadServer();
  pointPageAt(server.url);
});
afterEach(async () => {
  useUploadsStore().reset();
  await server.close();
  vi.restoreAllMocks();
});

const ROOM = 'lobby';
const file = (name: string, size = 16, type = 'application/octet-stream') => new File([new Uint8Array(size).fill(7)], name, { type });
const statuses = () => useUploadsStore().forRoom(ROOM).items.map((i) => `${i.name}:${i.status}`);
/** The room's notice as the composer shows it. */
const notice = () => {
  const current = useUploadsStore().forRoom(ROOM).notice;
  return current && noticeText(current);
};
/** The first file's error as its chip shows it. */
const itemError = () => {
  const error = useUploadsStore().forRoom(ROOM).items[0]!.error;
  return error && errorText(error);
};

/** A live room whose sends are acked at once; `sent` holds what went out. */
async function liveRoom() {
  const sent: Parameters<RoomTransport['send']>[0][] = [];
  const page = (messages: MessageDto[]): Result<MessagePage> => ({ ok: true, data: { messages, hasMore: false } });
  const room = reactive(
    createRoomMessages(
      {
        send: async (payload) => {
          sent.push(payload);
          return { ok: true, data: message(1, { author: { id: ALICE_USER.id, name: ALICE_USER.displayName }, clientId: payload.clientId, body: payload.body }) };
        },
        history: async () => page([]),
        sync: async () => page([]),
        recall: vi.fn(),
        edit: vi.fn(),
        react: vi.fn(),
        remove: vi.fn(),
        report: vi.fn(),
      },
      () => ALICE_USER.id,
      { roomId: ROOM },
    ),
  ) as RoomMessages;
  await room.catchUp();
  room.resume();
  return { room, sent };
}

describe('attachments of the next message', () => {
  it('uploads files as they are added, and a send carries the text and the stored files, then clears both', async () => {
    const uploads = useUploadsStore();
    const { room, sent } = await liveRoom();
    saveDraft(ALICE_USER.id, ROOM, 'the minutes');
    uploads.add(ROOM, [file('minutes.pdf', 300, 'application/pdf'), file('photo.png', 40, 'image/png')]);
    expect(uploads.forRoom(ROOM).items.map((i) => [i.name, i.size, i.previewUrl?.startsWith('blob:') ?? null])).toEqual([
      ['minutes.pdf', 300, null],
      ['photo.png', 40, true],
    ]);
    await vi.waitFor(() => expect(statuses()).toEqual(['minutes.pdf:done', 'photo.png:done']));
    expect(server.received.map((u) => [u.parts[0]!.filename, u.parts[0]!.bytes.length])).toEqual([
      ['minutes.pdf', 300],
      ['photo.png', 40],
    ]);

    expect(uploads.send(ROOM, room, 'the minutes')).toBe('sent');
    await vi.waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]).toEqual({ clientId: expect.any(String), body: 'the minutes', attachments: ['1'.padStart(24, '0'), '2'.padStart(24, '0')] });
    expect(uploads.forRoom(ROOM).items).toEqual([]);
    expect(uploads.forRoom(ROOM).sends).toBe(1);
    expect(loadDraft(ALICE_USER.id, ROOM)).toBe('');
  });

  it('a message of files alone goes with an empty body', async () => {
    const uploads = useUploadsStore();
    const { room, sent } = await liveRoom();
    uploads.add(ROOM, [file('scan.pdf')]);
    await vi.waitFor(() => expect(statuses()).toEqual(['scan.pdf:done']));
    expect(uploads.send(ROOM, room, '   ')).toBe('sent');
    await vi.waitFor(() => expect(sent).toEqual([{ clientId: expect.any(String), body: '', attachments: ['1'.padStart(24, '0')] }]));
  });

  it('takes ten files at most: the eleventh is refused with a notice that names it, and never uploaded', async () => {
    const uploads = useUploadsStore();
    uploads.add(ROOM, Array.from({ length: 9 }, (_, i) => file(`f${i + 1}.txt`)));
    uploads.add(ROOM, [file('f10.txt'), file('f11.txt')]);
    expect(uploads.forRoom(ROOM).items.map((i) => i.name)).toEqual(Array.from({ length: 10 }, (_, i) => `f${i + 1}.txt`));
    expect(notice()).toBe('A message can carry at most 10 files: f11.txt was not added.');
    await vi.waitFor(() => expect(server.received).toHaveLength(10));
    expect(server.received.map((u) => u.parts[0]!.filename)).not.toContain('f11.txt');
  });

  it("refuses a file over the server's limit before uploading it, saying the limit", async () => {
    const uploads = useUploadsStore();
    uploads.add(ROOM, [file('huge.iso', 2 * 1024 * 1024), file('small.txt')]);
    expect(notice()).toBe('huge.iso is too large (2 MB): files may be at most 1 MB.');
    expect(uploads.forRoom(ROOM).items.map((i) => i.name)).toEqual(['small.txt']);
    await vi.waitFor(() => expect(statuses()).toEqual(['small.txt:done']));
    expect(server.received.map((u) => u.parts[0]!.filename)).toEqual(['small.txt']);
  });

  it('× on a running upload aborts it: the chip and its preview go, and a late answer brings nothing back', async () => {
    const uploads = useUploadsStore();
    const revoke = vi.spyOn(URL, 'revokeObjectURL');
    server.answerWith(() => 'hold');
    uploads.add(ROOM, [file('cat.png', 64, 'image/png')]);
    await vi.waitFor(() => expect(server.heldCount()).toBe(1));
    const [chip] = uploads.forRoom(ROOM).items;
    expect(chip!.status).toBe('uploading');

    uploads.remove(ROOM, chip!.key);
    expect(uploads.forRoom(ROOM).items).toEqual([]);
    expect(revoke).toHaveBeenCalledWith(chip!.previewUrl);
    server.release();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(uploads.forRoom(ROOM).items).toEqual([]);
    expect(uploads.isBusy()).toBe(false);
  });

  it("a failed upload shows the server's message, and Retry uploads the same file again", async () => {
    const uploads = useUploadsStore();
    server.answerWith((upload, index) =>
      index === 0 ? { status: 429, body: JSON.stringify({ error: { code: 'rate_limited', message: 'Too many uploads: try again in a minute.' } }) } : { status: 201, body: JSON.stringify({ file: { id: 'e'.repeat(24), name: 'notes.txt', contentType: 'text/plain', size: upload.parts[0]!.bytes.length, kind: 'file' } }) },
    );
    uploads.add(ROOM, [file('notes.txt', 20)]);
    await vi.waitFor(() => expect(statuses()).toEqual(['notes.txt:failed']));
    expect(itemError()).toBe('Too many uploads: try again in a minute.');

    uploads.retry(ROOM, uploads.forRoom(ROOM).items[0]!.key);
    await vi.waitFor(() => expect(statuses()).toEqual(['notes.txt:done']));
    expect(uploads.forRoom(ROOM).items[0]!.file?.id).toBe('e'.repeat(24));
    expect(server.received.map((u) => u.parts[0]!.bytes.length)).toEqual([20, 20]);
  });

  it('a server that cannot be reached reads as such, not as a refusal', async () => {
    const uploads = useUploadsStore();
    server.answerWith(() => 'drop');
    uploads.add(ROOM, [file('a.txt')]);
    await vi.waitFor(() => expect(statuses()).toEqual(['a.txt:failed']));
    expect(itemError()).toBe('Cannot reach the server. Check your connection and try again.');
  });

  it('a send made while files upload waits for them, then goes with all of them', async () => {
    const uploads = useUploadsStore();
    const { room, sent } = await liveRoom();
    server.answerWith(() => 'hold');
    saveDraft(ALICE_USER.id, ROOM, 'two photos');
    uploads.add(ROOM, [file('a.png', 10, 'image/png'), file('b.png', 10, 'image/png')]);
    await vi.waitFor(() => expect(server.heldCount()).toBe(2));

    expect(uploads.send(ROOM, room, 'two photos')).toBe('waiting');
    expect(uploads.forRoom(ROOM).waiting?.body).toBe('two photos');
    server.release();
    await vi.waitFor(() => expect(statuses()).toEqual(['a.png:done', 'b.png:uploading']));
    expect(sent).toEqual([]);
    expect(loadDraft(ALICE_USER.id, ROOM)).toBe('two photos');

    server.release();
    await vi.waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]).toMatchObject({ body: 'two photos', attachments: ['f'.repeat(24), 'f'.repeat(24)] });
    expect(uploads.forRoom(ROOM)).toMatchObject({ items: [], waiting: null, sends: 1 });
    expect(loadDraft(ALICE_USER.id, ROOM)).toBe('');
  });

  it('a waiting send does not go when one of its uploads fails: the notice names the file, and the rest stays', async () => {
    const uploads = useUploadsStore();
    const { room, sent } = await liveRoom();
    server.answerWith(() => 'hold');
    uploads.add(ROOM, [file('ok.pdf'), file('bad.pdf')]);
    await vi.waitFor(() => expect(server.heldCount()).toBe(2));
    expect(uploads.send(ROOM, room, 'both files')).toBe('waiting');

    server.releaseAs(1, 413, JSON.stringify({ error: { code: 'quota_exceeded', message: 'Your files take all of your 1 GB.' } }));
    await vi.waitFor(() => expect(statuses()).toEqual(['ok.pdf:uploading', 'bad.pdf:failed']));
    expect(uploads.forRoom(ROOM).waiting).toBeNull();
    expect(notice()).toBe('Not sent: bad.pdf could not be uploaded. Retry or remove it, then send again.');
    server.release();
    await vi.waitFor(() => expect(statuses()).toEqual(['ok.pdf:done', 'bad.pdf:failed']));
    expect(sent).toEqual([]);

    // Sending again is refused while the failed file is there; once it is removed, the rest goes.
    expect(uploads.send(ROOM, room, 'both files')).toBe('blocked');
    uploads.remove(ROOM, uploads.forRoom(ROOM).items[1]!.key);
    expect(uploads.send(ROOM, room, 'one file')).toBe('sent');
    await vi.waitFor(() => expect(sent).toEqual([expect.objectContaining({ body: 'one file', attachments: ['f'.repeat(24)] })]));
  });

  it('a waiting send taken back ("Don\'t send yet") does not go when the uploads finish; the files stay for the next send', async () => {
    const uploads = useUploadsStore();
    const { room, sent } = await liveRoom();
    server.answerWith(() => 'hold');
    uploads.add(ROOM, [file('draft.pdf')]);
    await vi.waitFor(() => expect(server.heldCount()).toBe(1));
    expect(uploads.send(ROOM, room, 'not yet')).toBe('waiting');
    uploads.cancelWaiting(ROOM);
    server.release();
    await vi.waitFor(() => expect(statuses()).toEqual(['draft.pdf:done']));
    expect(sent).toEqual([]);
    expect(uploads.send(ROOM, room, 'now')).toBe('sent');
    await vi.waitFor(() => expect(sent).toEqual([expect.objectContaining({ body: 'now', attachments: ['f'.repeat(24)] })]));
  });

  it(`uploads ${PARALLEL_UPLOADS} files at a time; the others wait their turn`, async () => {
    const uploads = useUploadsStore();
    server.answerWith(() => 'hold');
    uploads.add(ROOM, Array.from({ length: 5 }, (_, i) => file(`p${i}.bin`)));
    await vi.waitFor(() => expect(server.heldCount()).toBe(3));
    expect(statuses()).toEqual(['p0.bin:uploading', 'p1.bin:uploading', 'p2.bin:uploading', 'p3.bin:queued', 'p4.bin:queued']);
    server.release();
    await vi.waitFor(() => expect(statuses()).toEqual(['p0.bin:done', 'p1.bin:uploading', 'p2.bin:uploading', 'p3.bin:uploading', 'p4.bin:queued']));
  });

  it("another user signing in on this tab never sees or sends the previous user's files", async () => {
    const uploads = useUploadsStore();
    server.answerWith(() => 'hold');
    uploads.add(ROOM, [file('private.pdf')]);
    await vi.waitFor(() => expect(server.heldCount()).toBe(1));
    useSessionStore().user = BOB_USER;
    expect(uploads.forRoom(ROOM).items).toEqual([]);
    uploads.add(ROOM, [file('bobs.pdf')]);
    expect(uploads.forRoom(ROOM).items.map((i) => i.name)).toEqual(['bobs.pdf']);
  });
});

describe('notices in another language', () => {
  afterEach(() => loadLocale('en'));

  it('refusals name the files and limits in English and Chinese, and follow a change of language', async () => {
    const uploads = useUploadsStore();
    uploads.add(ROOM, Array.from({ length: 9 }, (_, i) => file(`f${i + 1}.txt`)));
    uploads.add(ROOM, [file('huge.iso', 2 * 1024 * 1024), file('big.iso', 3 * 1024 * 1024), file('f10.txt'), file('f11.txt'), file('f12.txt')]);
    expect(notice()).toBe('2 files are too large: files may be at most 1 MB. A message can carry at most 10 files: 2 files were not added.');
    await loadLocale('zh-CN');
    expect(notice()).toBe('2 个文件超出大小限制，单个文件不能超过 1 MB。每条消息最多添加 10 个文件，2 个文件未添加。');

    uploads.add(ROOM, [file('huge.iso', 2 * 1024 * 1024)]);
    expect(notice()).toBe('huge.iso（2 MB）超出大小限制，单个文件不能超过 1 MB。');
    await loadLocale('en');
    expect(notice()).toBe('huge.iso is too large (2 MB): files may be at most 1 MB.');
  });

  it("a failed upload stops a waiting send with a notice in Chinese, and the file's error is the catalogue's for its code", async () => {
    await loadLocale('zh-CN');
    const uploads = useUploadsStore();
    const { room } = await liveRoom();
    server.answerWith(() => 'hold');
    uploads.add(ROOM, [file('bad.pdf')]);
    await vi.waitFor(() => expect(server.heldCount()).toBe(1));
    expect(uploads.send(ROOM, room, 'a file')).toBe('waiting');
    server.releaseAs(0, 413, JSON.stringify({ error: { code: 'quota_exceeded', message: 'Your files take all of your 1 GB.' } }));
    await vi.waitFor(() => expect(statuses()).toEqual(['bad.pdf:failed']));
    expect(notice()).toBe('未发送：bad.pdf 无法上传。请重试或移除它，然后再次发送。');
    expect(itemError()).toBe('你的文件存储空间已满。');
    expect(uploads.send(ROOM, room, 'a file')).toBe('blocked');
    expect(notice()).toBe('bad.pdf 无法上传。请重试或移除它，然后再次发送。');
  });
});
