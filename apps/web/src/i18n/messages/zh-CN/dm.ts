import type { CatalogueShape } from '../../catalogue';
import type { dm as en } from '../en/dm';

export const dm: CatalogueShape<typeof en> = {};
