import { startCatalogServer } from '@carthub/catalog-server';

export const reach = startCatalogServer;
