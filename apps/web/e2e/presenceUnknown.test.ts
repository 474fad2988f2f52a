import { describe, expect, it } from 'vitest';
import { account, eventually, signUp, waitForLobby } from './support/app';
import { useHarness } from './support/harness';

const harness = useHarness();

describe('presence while the connection is down', () => {
  it('greys every presence dot as unknown while the server is gone, and shows it again once the snapshot is back', async () => {
    const server = await harness.startServer();
    const { stores, port } = server;
    const [nina, omar] = [await harness.newPage(server.url), await harness.newPage(server.url)];
    await signUp(nina, account('nina', 'Nina Noor'));
    await signUp(omar, account('omar', 'Omar Ortiz'));
    await waitForLobby(nina);
    const dots = nina.getByTestId('online-user').getByTestId('presence-dot');
    const states = () => dots.evaluateAll((els) => els.map((el) => el.getAttribute('data-state')));
    await eventually(states).toEqual(['online', 'online']);

    await server.close();
    await eventually(states, 5_000).toEqual(['unknown', 'unknown']);
    expect(await dots.first().getAttribute('title')).toBe('presence unknown while reconnecting');

    await harness.startServer({ port, stores });
    await eventually(states, 15_000).toEqual(['online', 'online']);
  });
});
