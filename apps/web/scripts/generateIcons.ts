/**
 * Draws the app's icons (the web app manifest's and Apple's home-screen icon) from the logo in
 * LayoutLogo.vue, into public/icons/. Run once after changing the logo, and commit the PNGs:
 *
 *   pnpm --filter @confab/web exec tsx scripts/generateIcons.ts
 *
 * The PNGs are committed rather than built so that a build needs no image library.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

const LOGO = fileURLToPath(new URL('../src/components/layout/LayoutLogo.vue', import.meta.url));
const OUT_DIR = fileURLToPath(new URL('../public/icons/', import.meta.url));

/** The logo's shapes (what is inside its <svg>), in its own 32 × 32 view box. */
function logoShapes(): { plate: string; mark: string } {
  const svg = /<svg[^>]*>([\s\S]*?)<\/svg>/.exec(readFileSync(LOGO, 'utf8'))?.[1];
  const plate = svg && /<rect[^>]*\/>/.exec(svg)?.[0];
  const mark = svg && /<path[^>]*\/>/.exec(svg)?.[0];
  if (!plate || !mark) throw new Error(`no <rect> and <path> inside the <svg> of ${LOGO}`);
  return { plate, mark };
}

const svgDocument = (body: string) => `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">${body}</svg>`;

const { plate, mark } = logoShapes();
const plateFill = /fill="([^"]+)"/.exec(plate)?.[1] ?? '#4f46e5';
/** The logo as it is, rounded corners and all: for browsers and desktops that show the icon whole. */
const anyPurpose = svgDocument(plate + mark);
// A maskable icon is cropped to a shape of the platform's choice (circle, squircle): the plate
// fills the whole square, and the mark stays inside the central circle of 80% that is never cut
// (its farthest corner is 9 units from the centre, within 12.8).
const maskable = svgDocument(`<rect width="32" height="32" fill="${plateFill}"/>${mark}`);

const icons = [
  { file: 'icon-192.png', size: 192, svg: anyPurpose },
  { file: 'icon-512.png', size: 512, svg: anyPurpose },
  { file: 'icon-maskable-512.png', size: 512, svg: maskable },
  // iOS rounds the corners itself and shows transparency as black.
  { file: 'apple-touch-icon-180.png', size: 180, svg: maskable },
];

mkdirSync(OUT_DIR, { recursive: true });
for (const { file, size, svg } of icons) {
  // density: rasterise the 32-unit view box at the target size, not scale up a 32 px bitmap.
  await sharp(Buffer.from(svg), { density: (72 * size) / 32 })
    .resize(size, size)
    .png({ compressionLevel: 9 })
    .toFile(OUT_DIR + file);
  console.log(`public/icons/${file} (${size} × ${size})`);
}
