import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startCluster, type RunningCluster } from '@confab/server/testing/cluster';
import { account, bodies, countOf, eventually, messageRow, send, signUp } from './support/app';
import { startAddressRelay, type AddressRelay } from './support/addressRelay';
import { waitForDm } from './support/dm';
import { useHarness } from './support/harness';
import { WEB_DIST } from './support/paths';

// The deployment's topology as real processes (scripts/cluster.sh: nginx running
// deploy/nginx/confab.conf, two server processes, Redis and FerretDB), driven by two real
// browsers. nginx pins each client to one instance by its address; both browsers run here, so
// each reaches nginx through a relay that connects from its own loopback address. The test picks
// the addresses so that Alice lands on instance 1 and Bob on instance 2, and checks it from
// inside each page: everything they see of each other crossed Redis.

const harness = useHarness();
let cluster: RunningCluster;
const relays: AddressRelay[] = [];
// A redis-server this file started in place of the cluster's own (see the Redis restart test).
let replacementRedis: ChildProcess | undefined;

async function instanceAt(baseUrl: string): Promise<string> {
  const res = await fetch(`${baseUrl}/readyz`);
  if (res.status !== 200) throw new Error(`${baseUrl}/readyz answered ${res.status}`);
  return ((await res.json()) as { instance: string }).instance;
}

/** A relay whose address nginx hashes to the instance with this id. */
async function relayPinnedTo(instance: string): Promise<AddressRelay> {
  for (let host = 2; host < 250; host++) {
    const relay = await startAddressRelay(cluster.nginx.port, `127.0.0.${host}`);
    if ((await instanceAt(relay.url)) === instance) {
      relays.push(relay);
      return relay;
    }
    await relay.close();
  }
  throw new Error(`no loopback address reaches instance ${instance} through nginx`);
}

/** Which instance answers this page's own requests (its cookies, its connection, through nginx). */
function instanceSeenBy(page: Page): Promise<string> {
  return page.evaluate(async () => ((await (await fetch('/readyz')).json()) as { instance: string }).instance);
}

/** Alice's and Bob's pages: Alice's requests reach instance 1, Bob's instance 2. */
async function pinnedPages() {
  const [one, two] = await Promise.all(cluster.servers.map((server) => instanceAt(server.url)));
  expect(one).not.toBe(two);
  const pageA = await harness.newPage((await relayPinnedTo(one!)).url);
  const pageB = await harness.newPage((await relayPinnedTo(two!)).url);
  return { pageA, pageB, one: one!, two: two! };
}

async function readiness(url: string): Promise<number> {
  return (await fetch(`${url}/readyz`)).status;
}

beforeAll(async () => {
  cluster = await startCluster({ WEB_DIST });
}, 240_000);

afterAll(async () => {
  replacementRedis?.kill('SIGKILL');
  for (const relay of relays.splice(0)) await relay.close();
  await cluster?.stop();
}, 60_000);

describe('two browsers on two instances behind nginx', () => {
  it('Alice on instance 1 and Bob on instance 2 see each other online and typing, chat in the lobby and a DM, and Alice’s recall reaches Bob', async () => {
    const { pageA, pageB, one, two } = await pinnedPages();
    const alice = account('alice', 'Alice Archer');
    const bob = account('bob', 'Bob Baker');
    await signUp(pageA, alice);
    await signUp(pageB, bob);
    expect(await instanceSeenBy(pageA)).toBe(one);
    expect(await instanceSeenBy(pageB)).toBe(two);

    // Presence: each is in the other's online list.
    await eventually(() => pageA.getByTestId('online-user-name').allTextContents()).toContain('Bob Baker');
    await eventually(() => pageB.getByTestId('online-user-name').allTextContents()).toContain('Alice Archer');

    // Lobby: typing, then the message, exactly once each way.
    await pageA.getByTestId('composer-input').click();
    await pageA.keyboard.type('Hello from instance');
    await eventually(() => pageB.getByTestId('typing-indicator').textContent()).toBe('Alice Archer is typing…');
    await pageA.keyboard.type(' one');
    await pageA.keyboard.press('Enter');
    await eventually(() => bodies(pageB)).toEqual(['Hello from instance one']);
    await eventually(() => pageB.getByTestId('typing-indicator').count()).toBe(0);
    await send(pageB, 'And hello from instance two');
    await eventually(() => bodies(pageA)).toEqual(['Hello from instance one', 'And hello from instance two']);
    expect(await bodies(pageB)).toEqual(['Hello from instance one', 'And hello from instance two']);

    // A direct message, both in the conversation.
    await pageA.goto(`/dm/${bob.username}`);
    await waitForDm(pageA, bob.username);
    await pageB.goto(`/dm/${alice.username}`);
    await waitForDm(pageB, alice.username);
    await eventually(() => pageA.getByTestId('dm-presence').textContent()).toBe('online');
    await eventually(() => pageB.getByTestId('dm-presence').textContent()).toBe('online');

    await pageB.getByTestId('composer-input').click();
    await pageB.keyboard.type('Just between');
    await eventually(() => pageA.getByTestId('typing-indicator').textContent()).toBe('Bob Baker is typing…');
    await pageB.keyboard.type(' us');
    await pageB.keyboard.press('Enter');
    await eventually(() => bodies(pageA)).toEqual(['Just between us']);
    await send(pageA, 'The code is 4711');
    await eventually(() => bodies(pageB)).toEqual(['Just between us', 'The code is 4711']);
    expect(countOf(await bodies(pageA), 'The code is 4711')).toBe(1);

    // Alice recalls her DM: Bob's view shows the tombstone, and the text is gone.
    const row = messageRow(pageA, 'The code is 4711');
    await row.hover();
    await row.getByTestId('message-recall').click();
    await eventually(() => pageB.getByTestId('message-recalled').allTextContents()).toEqual(['Alice Archer recalled a message']);
    expect(await bodies(pageB)).toEqual(['Just between us']);
    expect(await pageB.getByTestId('message-list').textContent()).not.toContain('4711');

    // Alice leaves: instance 2 tells Bob.
    await pageA.close();
    await eventually(() => pageB.getByTestId('dm-presence').textContent(), 20_000).toBe('last seen just now');
  });

  it('after a Redis restart, Bob on instance 2 sees what Alice sent on instance 1 during the outage, without anyone sending again', async () => {
    const { pageA, pageB } = await pinnedPages();
    await signUp(pageA, account('alice', 'Alice Archer'));
    await signUp(pageB, account('bob', 'Bob Baker'));
    await send(pageA, 'Before the outage');
    // Both pages show the whole lobby (earlier tests' messages included) before the outage begins.
    await eventually(async () => {
      const [seenByA, seenByB] = await Promise.all([bodies(pageA), bodies(pageB)]);
      return seenByA.join('\n') === seenByB.join('\n');
    }).toBe(true);
    await eventually(() => bodies(pageB)).toContain('Before the outage');
    const seenBefore = await bodies(pageB);

    process.kill(cluster.redis.pid, 'SIGKILL');
    for (const server of cluster.servers) await eventually(() => readiness(server.url)).toBe(503);
    await send(pageA, 'While Redis is down');
    await eventually(() => messageRow(pageA, 'While Redis is down').getAttribute('data-status')).toBe('sent');
    expect(await bodies(pageB)).toEqual(seenBefore);

    replacementRedis = spawn('redis-server', ['--port', String(cluster.redis.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    for (const server of cluster.servers) await eventually(() => readiness(server.url), 20_000).toBe(200);
    await eventually(() => bodies(pageB), 15_000).toEqual([...seenBefore, 'While Redis is down']);
  });
});
