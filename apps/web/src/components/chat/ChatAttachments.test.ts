import { afterEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { createApp, h, nextTick } from 'vue';
import type { AttachmentDto } from '@confab/shared';
import { fileAttachment, imageAttachment } from '../../testing/attachments';
import { useConnectionStore } from '../../stores/connection';
import ChatAttachments from './ChatAttachments.vue';

const LANDSCAPE = imageAttachment({ id: '1'.repeat(24), name: 'beach.jpg', contentType: 'image/jpeg', width: 4000, height: 3000, thumbnail: { width: 800, height: 600 } });
const PORTRAIT = imageAttachment({ id: '2'.repeat(24), name: 'tower.webp', contentType: 'image/webp', width: 3024, height: 4032, thumbnail: { width: 600, height: 800 } });
const TINY = imageAttachment({ id: '3'.repeat(24), name: 'icon.png', width: 16, height: 16, thumbnail: { width: 16, height: 16 } });
const PDF = fileAttachment({ id: '4'.repeat(24), name: 'Quarterly report with a very long name that will not fit.pdf', size: 2_621_440 });

let unmount: (() => void) | null = null;
afterEach(() => {
  unmount?.();
  unmount = null;
});

function mount(attachments: AttachmentDto[]) {
  const host = document.createElement('div');
  document.body.append(host);
  const pinia = createPinia();
  setActivePinia(pinia);
  const app = createApp({ render: () => h(ChatAttachments, { attachments }) });
  app.use(pinia);
  app.mount(host);
  unmount = () => (app.unmount(), host.remove());
  const images = () => [...host.querySelectorAll<HTMLButtonElement>('[data-testid="attachment-image"]')];
  const viewer = () => document.querySelector<HTMLDialogElement>('[data-testid="image-viewer"]');
  return { host, images, viewer };
}

const flush = async () => {
  await nextTick();
  await nextTick();
};

describe('a message\'s attachments', () => {
  it('each image reserves its box at the image\'s ratio before it loads, at most 400 × 300, named for the reader', () => {
    const { images } = mount([LANDSCAPE, PORTRAIT, TINY]);
    const facts = images().map((button) => {
      const img = button.querySelector('img')!;
      return {
        label: button.getAttribute('aria-label'),
        state: button.dataset.state,
        alt: img.getAttribute('alt'),
        src: img.getAttribute('src'),
        box: [img.getAttribute('width'), img.getAttribute('height')],
        style: img.getAttribute('style'),
      };
    });
    expect(facts).toEqual([
      { label: 'Open image beach.jpg', state: 'loading', alt: 'beach.jpg', src: `/api/files/${LANDSCAPE.id}/thumbnail`, box: ['400', '300'], style: 'width: 400px; aspect-ratio: 4000 / 3000;' },
      { label: 'Open image tower.webp', state: 'loading', alt: 'tower.webp', src: `/api/files/${PORTRAIT.id}/thumbnail`, box: ['225', '300'], style: 'width: 225px; aspect-ratio: 3024 / 4032;' },
      { label: 'Open image icon.png', state: 'loading', alt: 'icon.png', src: `/api/files/${TINY.id}/thumbnail`, box: ['16', '16'], style: 'width: 16px; aspect-ratio: 16 / 16;' },
    ]);
  });

  it('an image shows once loaded, and says so when it cannot load', async () => {
    const { images } = mount([LANDSCAPE, PORTRAIT]);
    const [first, second] = images();
    first!.querySelector('img')!.dispatchEvent(new Event('load'));
    second!.querySelector('img')!.dispatchEvent(new Event('error'));
    await nextTick();
    expect(images().map((b) => b.dataset.state)).toEqual(['done', 'error']);
    expect(second!.textContent).toBe('Image not available');
  });

  it('asks again for a thumbnail that failed while the server was out of reach, once it is back', async () => {
    const { images } = mount([LANDSCAPE]);
    const connection = useConnectionStore();
    const img = () => images()[0]!.querySelector('img')!;
    const firstSrc = img().getAttribute('src');
    img().dispatchEvent(new Event('error'));
    await nextTick();
    expect(images()[0]!.dataset.state).toBe('error');
    connection.markConnected();
    await flush();
    expect(images()[0]!.dataset.state).toBe('loading');
    expect(img().getAttribute('src')).not.toBe(firstSrc);
    expect(img().getAttribute('src')).toMatch(new RegExp(`^/api/files/${LANDSCAPE.id}/thumbnail\\?attempt=1$`));
  });

  it('a file shows as a card: its name (whole in the title), its size, and a link that downloads it under its name', () => {
    const { host } = mount([PDF]);
    const card = host.querySelector<HTMLAnchorElement>('[data-testid="attachment-file"]')!;
    expect(card.getAttribute('href')).toBe(`/api/files/${PDF.id}`);
    expect(card.getAttribute('download')).toBe(PDF.name);
    expect(card.getAttribute('aria-label')).toBe(`Download ${PDF.name}, 2.5 MB`);
    expect(card.dataset.icon).toBe('pdf');
    const name = card.querySelector('[data-testid="attachment-file-name"]')!;
    expect([name.textContent, name.getAttribute('title')]).toEqual([PDF.name, PDF.name]);
    expect(card.querySelector('[data-testid="attachment-file-size"]')!.textContent).toBe('2.5 MB');
    expect(card.querySelector('[data-testid="attachment-file-kind"]')!.getAttribute('data-label')).toBe('PDF');
    expect(host.querySelectorAll('[data-testid="attachment-image"]')).toHaveLength(0);
  });

  it('keeps the sender\'s order, an SVG among them shown as a file, never inline', () => {
    const svg = imageAttachment({ id: '5'.repeat(24), name: 'logo.svg', contentType: 'image/svg+xml', kind: 'file', width: undefined, height: undefined, thumbnail: undefined });
    const { host } = mount([PDF, LANDSCAPE, svg]);
    const order = [...host.querySelectorAll<HTMLElement>('[data-file-id]')].map((el) => [el.dataset.testid, el.dataset.fileId]);
    expect(order).toEqual([
      ['attachment-file', PDF.id],
      ['attachment-image', LANDSCAPE.id],
      ['attachment-file', svg.id],
    ]);
    expect(host.querySelectorAll('img')).toHaveLength(1);
  });

  it('opens an image in a modal viewer with the focus inside, and Escape gives the focus back to the image that opened it', async () => {
    const { images, viewer } = mount([LANDSCAPE, PDF]);
    images()[0]!.focus();
    images()[0]!.click();
    await flush();
    const dialog = viewer()!;
    expect(dialog.open).toBe(true);
    expect(dialog.getAttribute('aria-label')).toBe('beach.jpg');
    expect(document.activeElement).toBe(dialog.querySelector('[data-testid="image-viewer-close"]'));
    const full = dialog.querySelector('img')!;
    expect([full.getAttribute('src'), full.getAttribute('alt'), full.getAttribute('width'), full.getAttribute('height')]).toEqual([`/api/files/${LANDSCAPE.id}`, 'beach.jpg', '4000', '3000']);
    const download = dialog.querySelector<HTMLAnchorElement>('[data-testid="image-viewer-download"]')!;
    expect([download.getAttribute('href'), download.getAttribute('download')]).toEqual([`/api/files/${LANDSCAPE.id}`, 'beach.jpg']);
    expect(dialog.querySelector('[data-testid="image-viewer-meta"]')!.textContent).toBe('4000 × 3000 · 47 kB');
    expect(dialog.querySelector('[data-testid="image-viewer-next"]')).toBeNull();

    dialog.dispatchEvent(new Event('cancel', { cancelable: true }));
    await flush();
    expect(viewer()).toBeNull();
    expect(document.activeElement).toBe(images()[0]);
  });

  it('goes through the message\'s images with the arrow keys and the buttons, and closes from its button or beside the image', async () => {
    const { images, viewer } = mount([LANDSCAPE, PDF, PORTRAIT, TINY]);
    images()[1]!.click();
    await flush();
    const name = () => viewer()!.querySelector('[data-testid="image-viewer-name"]')!.textContent;
    expect([name(), viewer()!.getAttribute('aria-label')]).toEqual(['tower.webp', 'tower.webp, image 2 of 3']);
    const key = (k: string) => viewer()!.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true }));
    key('ArrowRight');
    await nextTick();
    expect(name()).toBe('icon.png');
    key('ArrowRight');
    await nextTick();
    expect(name()).toBe('beach.jpg');
    key('ArrowLeft');
    await nextTick();
    expect([name(), viewer()!.querySelector('[data-testid="image-viewer-position"]')!.textContent]).toEqual(['icon.png', '3 / 3']);
    viewer()!.querySelector<HTMLButtonElement>('[data-testid="image-viewer-previous"]')!.click();
    await nextTick();
    expect(name()).toBe('tower.webp');

    viewer()!.querySelector<HTMLElement>('.stage')!.click();
    await flush();
    expect(viewer()).toBeNull();
    expect(document.activeElement).toBe(images()[1]);

    images()[0]!.click();
    await flush();
    // A click on the image itself does not close it.
    viewer()!.querySelector<HTMLElement>('[data-testid="image-viewer-image"]')!.click();
    await flush();
    expect(viewer()).not.toBeNull();
    viewer()!.querySelector<HTMLButtonElement>('[data-testid="image-viewer-close"]')!.click();
    await flush();
    expect(viewer()).toBeNull();
    expect(document.activeElement).toBe(images()[0]);
  });
});
