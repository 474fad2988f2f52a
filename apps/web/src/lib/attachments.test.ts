import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadLocale } from '../i18n';
import { fileAttachment, imageAttachment } from '../testing/attachments';
import { ALICE, ALICE_BOB_ROOM, BOB, conversation, message, roomSummary } from '../testing/factories';
import { attachmentsText, fileIconKind, fitWithin, formatFileSize, isInlineImage } from './attachments';
import { previewParts, previewText } from './conversations';
import { emojiLoaded, withPlainLastMessage } from './markdown';
import { notificationBody } from './notifications';
import { summaryPreview } from './rooms';

beforeAll(() => emojiLoaded);

describe('an inline image\'s box', () => {
  it('a landscape photo fits 400 × 300 by its width, a portrait one by its height, both at their own ratio', () => {
    expect(fitWithin({ width: 4000, height: 3000 })).toEqual({ width: 400, height: 300 });
    expect(fitWithin({ width: 1920, height: 1080 })).toEqual({ width: 400, height: 225 });
    expect(fitWithin({ width: 3024, height: 4032 })).toEqual({ width: 225, height: 300 });
    expect(fitWithin({ width: 1080, height: 1920 })).toEqual({ width: 169, height: 300 });
  });

  it('a tiny image is never blown up; a huge or very long one is scaled down to fit, at least a pixel on each side', () => {
    expect(fitWithin({ width: 16, height: 16 })).toEqual({ width: 16, height: 16 });
    expect(fitWithin({ width: 399, height: 120 })).toEqual({ width: 399, height: 120 });
    expect(fitWithin({ width: 20_000, height: 20_000 })).toEqual({ width: 300, height: 300 });
    expect(fitWithin({ width: 10_000, height: 10 })).toEqual({ width: 400, height: 1 });
    expect(fitWithin({ width: 10, height: 10_000 })).toEqual({ width: 1, height: 300 });
  });

  it('only a measured raster image with a thumbnail shows inline; an SVG or an image the server could not measure is a file card', () => {
    expect(isInlineImage(imageAttachment())).toBe(true);
    expect(isInlineImage(imageAttachment({ contentType: 'image/gif' }))).toBe(true);
    expect(isInlineImage(imageAttachment({ contentType: 'image/svg+xml' }))).toBe(false);
    expect(isInlineImage(imageAttachment({ thumbnail: undefined }))).toBe(false);
    expect(isInlineImage(imageAttachment({ width: 0 }))).toBe(false);
    expect(isInlineImage(fileAttachment())).toBe(false);
  });
});

describe('a file card\'s facts', () => {
  it('sizes read in bytes, kB, MB and GB, in binary multiples, never with four digits', () => {
    expect(formatFileSize(0, 'en-US')).toBe('0 bytes');
    expect(formatFileSize(1, 'en-US')).toBe('1 byte');
    expect(formatFileSize(999, 'en-US')).toBe('999 bytes');
    expect(formatFileSize(1536, 'en-US')).toBe('1.5 kB');
    expect(formatFileSize(48_213, 'en-US')).toBe('47 kB');
    expect(formatFileSize(1023 * 1024, 'en-US')).toBe('1 MB');
    expect(formatFileSize(2_621_440, 'en-US')).toBe('2.5 MB');
    expect(formatFileSize(25 * 1024 * 1024, 'en-US')).toBe('25 MB');
    expect(formatFileSize(3 * 1024 ** 3, 'en-US')).toBe('3 GB');
    expect(formatFileSize(2_621_440, 'de-DE')).toBe('2,5 MB');
  });

  it('sizes follow the language on screen when no locale is given', async () => {
    expect(formatFileSize(512)).toBe('512 bytes');
    await loadLocale('zh-CN');
    try {
      expect(formatFileSize(512)).toBe('512字节');
      expect(formatFileSize(2_621_440)).toBe('2.5 MB');
    } finally {
      await loadLocale('en');
    }
  });

  it('the icon follows the type found in the bytes; only unknown bytes fall back to a text extension', () => {
    const kind = (contentType: string, name = 'x.bin') => fileIconKind({ contentType, name });
    expect(kind('application/pdf', 'notes.txt')).toBe('pdf');
    expect(kind('application/zip')).toBe('archive');
    expect(kind('application/gzip')).toBe('archive');
    expect(kind('text/plain')).toBe('text');
    expect(kind('application/json')).toBe('text');
    expect(kind('image/svg+xml')).toBe('image');
    expect(kind('audio/mpeg')).toBe('audio');
    expect(kind('video/mp4')).toBe('video');
    expect(kind('application/octet-stream', 'notes.TXT')).toBe('text');
    expect(kind('application/octet-stream', 'setup.exe')).toBe('file');
    expect(kind('application/x-msdownload', 'readme.txt')).toBe('file');
  });
});

describe('a message with files and no text, where only text fits', () => {
  const files = [imageAttachment(), fileAttachment()];

  it('reads as its one file\'s name, or as the number of images or files', () => {
    expect(attachmentsText([imageAttachment()])).toBe('📎 cat.png');
    expect(attachmentsText([imageAttachment(), imageAttachment({ id: '1'.repeat(24) })])).toBe('📎 2 images');
    expect(attachmentsText(files)).toBe('📎 2 files');
    expect(attachmentsText([fileAttachment({ name: 'تقرير.pdf' })])).toBe('📎 \u2068تقرير.pdf\u2069');
    expect(attachmentsText([])).toBe('');
    expect(attachmentsText(undefined)).toBe('');
  });

  describe('in Chinese', () => {
    afterEach(() => loadLocale('en'));

    it('counts images and files with Chinese measure words', async () => {
      await loadLocale('zh-CN');
      expect(attachmentsText([imageAttachment()])).toBe('📎 cat.png');
      expect(attachmentsText([imageAttachment(), imageAttachment({ id: '1'.repeat(24) })])).toBe('📎 2 张图片');
      expect(attachmentsText(files)).toBe('📎 2 个文件');
    });
  });

  it('the DM list\'s preview names the file, with "You: " before our own; a message with text shows its text', () => {
    const fromBob = conversation({ lastMessage: message(1, { roomId: ALICE_BOB_ROOM, author: BOB, body: '', attachments: [imageAttachment()] }) });
    expect(previewParts(withPlainLastMessage(fromBob), ALICE.id)).toEqual({ actor: null, text: '📎 cat.png' });
    const mine = conversation({ lastMessage: message(2, { roomId: ALICE_BOB_ROOM, author: ALICE, body: '', attachments: files }) });
    expect(previewText(withPlainLastMessage(mine), ALICE.id)).toBe('You: 📎 2 files');
    const captioned = conversation({ lastMessage: message(3, { roomId: ALICE_BOB_ROOM, author: BOB, body: '**Look**', attachments: files }) });
    expect(previewText(withPlainLastMessage(captioned), ALICE.id)).toBe('Look');
    const recalled = conversation({ lastMessage: message(4, { roomId: ALICE_BOB_ROOM, author: BOB, body: '', recalledAt: new Date().toISOString() }) });
    expect(previewText(recalled, ALICE.id)).toBe('Bob Baker recalled a message');
  });

  it('a group\'s preview names the file after its author', () => {
    const summary = roomSummary({ lastSeq: 3, lastMessage: message(3, { author: ALICE, body: '', attachments: [fileAttachment()] }) });
    expect(summaryPreview(withPlainLastMessage(summary), ALICE.id)).toBe('You: 📎 report.pdf');
    const fromBob = roomSummary({ lastSeq: 4, lastMessage: message(4, { author: BOB, body: '', attachments: files }) });
    expect(summaryPreview(withPlainLastMessage(fromBob), ALICE.id)).toBe('Bob Baker: 📎 2 files');
  });

  it('a notification announces the files when there is no text, and the text when there is', () => {
    expect(notificationBody('', [imageAttachment()])).toBe('📎 cat.png');
    expect(notificationBody('', files)).toBe('📎 2 files');
    expect(notificationBody('see _this_', files)).toBe('see this');
    const long = notificationBody('', [fileAttachment({ name: `${'long name '.repeat(20)}.pdf` })]);
    expect(long.startsWith('📎 long name long name')).toBe(true);
    expect(long.endsWith('…')).toBe(true);
    expect([...new Intl.Segmenter().segment(long)]).toHaveLength(140);
  });
});
