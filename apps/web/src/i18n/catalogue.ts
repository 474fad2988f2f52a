/**
 * A catalogue's shape: the English catalogue's keys, every message a string. Another language's
 * catalogue is typed with it, so vue-tsc refuses a missing or extra key (i18n/catalogues.test.ts
 * checks the same at run time, with placeholders).
 */
export type CatalogueShape<T> = { readonly [K in keyof T]: T[K] extends string ? string : CatalogueShape<T[K]> };
