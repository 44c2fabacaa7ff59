import { PostgresCartRepository } from '@carthub/persistence';

export const reach = PostgresCartRepository;
