import type { CatalogueShape } from '../../catalogue';
import type { composer as en } from '../en/composer';

export const composer: CatalogueShape<typeof en> = {};
