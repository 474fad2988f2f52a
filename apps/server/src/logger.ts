import { pino, type Logger } from 'pino';

export type { Logger };

/** Structured JSON logs; `pretty` switches to pino-pretty for development. */
export function createLogger(options: { level: string; pretty: boolean }): Logger {
  return pino({
    level: options.level,
    base: { service: 'confab' },
    redact: ['req.headers.cookie', 'res.headers["set-cookie"]', '*.password', '*.passwordHash'],
    ...(options.pretty ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss' } } } : {}),
  });
}
