import { HttpCatalog } from '@carthub/catalog';

export const reach = HttpCatalog;
