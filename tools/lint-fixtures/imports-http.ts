import { createApp } from '@carthub/http';

export const reach = createApp;
