import { fileURLToPath } from 'node:url';

/** apps/web */
export const WEB_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/**
 * The built SPA the in-process server serves (written by globalSetup). `CONFAB_E2E_DIST` moves it,
 * so that two checkouts or two people building at once on one machine do not overwrite each other.
 */
export const WEB_DIST = process.env.CONFAB_E2E_DIST ?? fileURLToPath(new URL('../../dist', import.meta.url));
/** Screenshots and other things a run leaves behind for people to look at (gitignored). */
export const ARTIFACTS_DIR = fileURLToPath(new URL('../artifacts', import.meta.url));
/** The repository root, for docs/screenshot.png. */
export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
