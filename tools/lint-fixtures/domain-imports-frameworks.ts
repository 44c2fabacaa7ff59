import Koa from 'koa';
import { MikroORM } from '@mikro-orm/core';
import Joi from 'joi';

export const leaks = [Koa, MikroORM, Joi];
