import type { CatalogueShape } from '../../catalogue';
import type { app as en } from '../en/app';

export const app: CatalogueShape<typeof en> = {};
