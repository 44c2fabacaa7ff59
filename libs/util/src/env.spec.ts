import Joi from 'joi';
import { ConfigError, envList, envPort, envPositive, validateEnv } from './env';

describe('validateEnv', () => {
  const schema = Joi.object({ PORT: envPort().default(3000), WORKERS: envPositive().default(1) }).unknown(true);

  it('when values are given as text, then they come back as numbers, defaults filled in', () => {
    expect(validateEnv(schema, { PORT: '8080' })).toEqual({ PORT: 8080, WORKERS: 1 });
  });

  it('when several values are invalid, then one ConfigError names every variable at fault', () => {
    expect(() => validateEnv(schema, { PORT: '70000', WORKERS: '0' })).toThrow(ConfigError);
    expect(() => validateEnv(schema, { PORT: '70000', WORKERS: '0' })).toThrow(
      'Invalid configuration: PORT must be less than or equal to 65535; WORKERS must be greater than or equal to 1',
    );
  });
});

describe('envList', () => {
  const schema = Joi.object({ URLS: envList(Joi.string().uri({ scheme: ['postgres'] }), 'a postgres:// URL') });

  it('when entries are comma separated, then they come back as a list, trimmed, empty ones dropped', () => {
    expect(validateEnv(schema, { URLS: ' postgres://a/x, ,postgres://b/x' })).toEqual({
      URLS: ['postgres://a/x', 'postgres://b/x'],
    });
  });

  it('when the variable is unset or empty, then the list is empty', () => {
    expect(validateEnv(schema, {})).toEqual({ URLS: [] });
    expect(validateEnv(schema, { URLS: '' })).toEqual({ URLS: [] });
  });

  it('when an entry is invalid, then the error names its position and never its text', () => {
    const check = () => validateEnv(schema, { URLS: 'postgres://a/x,http://user:secret@b/x' });
    expect(check).toThrow('Invalid configuration: URLS: entry 2 is not a postgres:// URL');
    expect(check).not.toThrow(/secret/);
  });
});
