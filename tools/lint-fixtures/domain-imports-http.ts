import { createApp } from '@carthub/http';

export const leak = createApp;
