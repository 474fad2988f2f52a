import { describe, expect, it } from 'vitest';
import { isOriginRefusal } from './socket';

// The shape socket.io-client gives a failed polling handshake: the status as `description`,
// the XMLHttpRequest as `context`.
const transportError = (status: number, responseText: string) =>
  Object.assign(new Error('xhr poll error'), { description: status, context: { responseText } });

describe('isOriginRefusal', () => {
  it("recognises the server's origin gate", () => {
    expect(isOriginRefusal(transportError(403, '{"code":4,"message":"origin_not_allowed: this page\'s origin may not connect"}'))).toBe(true);
  });

  it('leaves any other 403, and other failures, to be retried', () => {
    expect(isOriginRefusal(transportError(403, '<html>Forbidden by the firewall</html>'))).toBe(false);
    expect(isOriginRefusal(transportError(502, 'origin_not_allowed'))).toBe(false);
    expect(isOriginRefusal(new Error('websocket error'))).toBe(false);
  });
});
