import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/**
 * Structured JSON logs; `pretty` switches to pino-pretty for development. `destination` (stdout
 * by default) lets a test read what the server logged.
 */
export function createLogger(options: { level: string; pretty: boolean }, destination?: DestinationStream): Logger {
  const settings = {
    level: options.level,
    base: { service: 'confab' },
    redact: ['req.headers.cookie', 'res.headers["set-cookie"]', '*.password', '*.passwordHash'],
    ...(options.pretty ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss' } } } : {}),
  };
  return destination && !options.pretty ? pino(settings, destination) : pino(settings);
}
