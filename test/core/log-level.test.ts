import { loggerFromEnv } from '../../core';

describe('LOG_LEVEL for a server run alone', () => {
  it('logs every request (info) unless told otherwise', () => {
    expect(loggerFromEnv({})).toEqual({ level: 'info' });
  });

  it('takes any fastify level, in any case', () => {
    expect(loggerFromEnv({ LOG_LEVEL: 'warn' })).toEqual({ level: 'warn' });
    expect(loggerFromEnv({ LOG_LEVEL: ' Silent ' })).toEqual({ level: 'silent' });
  });

  it('refuses an unknown level with the list of valid ones', () => {
    expect(() => loggerFromEnv({ LOG_LEVEL: 'verbose' })).toThrow(
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent; got "verbose"',
    );
  });
});
