import type { CatalogueShape } from '../../catalogue';
import type { auth as en } from '../en/auth';

export const auth: CatalogueShape<typeof en> = {};
