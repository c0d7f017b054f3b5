import { ConfigurationError, loadEnvironment } from './environment';

describe('loadEnvironment', () => {
  it('gives the documented defaults when nothing is set', () => {
    const env = loadEnvironment({});
    expect(env.API_PORT).toBe(3000);
    expect(env.TEMPORAL_ADDRESS).toBe('127.0.0.1:7233');
    expect(env.TEMPORAL_TASK_QUEUE).toBe('project-lifecycle');
    expect(env.NODE_ENV).toBe('development');
  });

  it('converts numbers from strings', () => {
    expect(loadEnvironment({ API_PORT: '8081' }).API_PORT).toBe(8081);
  });

  it('names the variable and the rule when a value is bad', () => {
    expect(() => loadEnvironment({ API_PORT: 'eighty', DATABASE_URL: 'mysql://x' })).toThrow(
      ConfigurationError,
    );
    try {
      loadEnvironment({ API_PORT: '70000', DATABASE_URL: 'mysql://x' });
    } catch (e) {
      const message = (e as Error).message;
      expect(message).toContain('API_PORT="70000"');
      expect(message).toContain(
        'DATABASE_URL="mysql://x": DATABASE_URL must be a postgres:// connection string',
      );
    }
  });

  it('refuses the development JWT secret in production', () => {
    expect(() => loadEnvironment({ NODE_ENV: 'production' })).toThrow(
      /JWT_SECRET: the development default is refused/,
    );
    expect(
      loadEnvironment({ NODE_ENV: 'production', JWT_SECRET: 'a-production-secret-of-length' }).NODE_ENV,
    ).toBe('production');
  });
});
