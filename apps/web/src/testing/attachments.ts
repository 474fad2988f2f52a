import type { AttachmentDto } from '@confab/shared';

/** A 1200 × 800 PNG attachment (`cat.png`) with its thumbnail, as a message carries it. */
export function imageAttachment(overrides: Partial<AttachmentDto> = {}): AttachmentDto {
  return {
    id: 'f'.repeat(24),
    name: 'cat.png',
    contentType: 'image/png',
    size: 48_213,
    kind: 'image',
    width: 1200,
    height: 800,
    thumbnail: { width: 800, height: 533 },
    ...overrides,
  };
}

/** A 2.5 MB PDF attachment (`report.pdf`). */
export function fileAttachment(overrides: Partial<AttachmentDto> = {}): AttachmentDto {
  return { id: 'e'.repeat(24), name: 'report.pdf', contentType: 'application/pdf', size: 2_621_440, kind: 'file', ...overrides };
}
