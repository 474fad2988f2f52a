import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { createApp, defineComponent, h, nextTick, type App } from 'vue';
import { RouterView, createMemoryHistory, createRouter, type Router } from 'vue-router';
import type { RegistrationMode } from '@confab/shared';
import { i18n, loadLocale } from '../i18n';
import { ALICE_USER } from '../testing/factories';
import SignUpView from './SignUpView.vue';

/** What the stand-in server says: its mode (changeable while the page is open) and its answer to a registration. */
interface Server {
  mode: RegistrationMode;
  register: (body: Record<string, unknown>) => { status: number; body: unknown };
}

function stubServer(server: Server) {
  const registrations: Record<string, unknown>[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (path: string, init?: RequestInit) => {
      const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
      if (path === '/api/settings') {
        return json(200, { serverName: 'Harbour Chat', registration: server.mode, recallWindowMs: 120_000, editWindowMs: null, awayAfterMs: 300_000, uploadMaxBytes: 1 << 20, reactionsPerMessageMax: 20, serverTime: new Date().toISOString() });
      }
      if (path === '/api/auth/register') {
        const body = JSON.parse(String(init?.body)) as Record<string, unknown>;
        registrations.push(body);
        const answer = server.register(body);
        return json(answer.status, answer.body);
      }
      return json(404, { error: { code: 'not_found', message: 'Not found.' } });
    }),
  );
  return registrations;
}

const flush = async () => {
  for (let i = 0; i < 6; i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 0));
    await nextTick();
  }
};

describe('the sign-up page follows the server\'s registration mode', () => {
  let app: App;
  let router: Router;
  let host: HTMLElement;

  beforeEach(() => {
    setActivePinia(createPinia());
    localStorage.clear();
    router = createRouter({
      history: createMemoryHistory(),
      routes: [
        { path: '/', name: 'lobby', component: defineComponent(() => () => h('p', { 'data-testid': 'lobby' }, 'lobby')) },
        { path: '/signin', name: 'signin', component: defineComponent(() => () => h('p', 'sign in')) },
        { path: '/signup', name: 'signup', component: SignUpView },
      ],
    });
  });
  afterEach(async () => {
    app?.unmount();
    host?.remove();
    vi.unstubAllGlobals();
    await loadLocale('en');
  });

  async function open(path: string): Promise<HTMLElement> {
    host = document.createElement('div');
    document.body.append(host);
    app = createApp(defineComponent(() => () => h(RouterView)));
    app.use(createPinia()).use(router).use(i18n);
    await router.push(path);
    app.mount(host);
    await flush();
    return host;
  }
  const find = (testid: string) => host.querySelector<HTMLElement>(`[data-testid="${testid}"]`);

  async function fillAndSubmit(): Promise<void> {
    for (const [testid, value] of [['signup-username', 'alice'], ['signup-password', 'correct horse battery']] as const) {
      const input = find(testid) as HTMLInputElement;
      input.value = value;
      input.dispatchEvent(new Event('input'));
    }
    await nextTick();
    find('signup-form')!.dispatchEvent(new Event('submit'));
    await flush();
  }

  const created = { status: 201, body: { user: ALICE_USER } };

  it('closed: the heading says so, no invitation to sign up, no form, a message naming the server and a way to sign in', async () => {
    stubServer({ mode: 'closed', register: () => created });
    await open('/signup');
    expect(find('signup-form')).toBeNull();
    expect(host.querySelector('h1')!.textContent).toBe('Sign-up is closed');
    expect(find('auth-subtitle')).toBeNull();
    expect(host.textContent).not.toContain('Create your account');
    expect(find('signup-closed')!.textContent).toContain('Registration on Harbour Chat is closed. Ask an administrator for an account.');
    expect(find('signup-to-signin')!.getAttribute('href')).toBe('/signin');
    await loadLocale('zh-CN');
    await nextTick();
    expect(host.querySelector('h1')!.textContent).toBe('注册已关闭');
  });

  it('invitation only, without an invitation in the address: the heading and the message say a link is needed, no form', async () => {
    stubServer({ mode: 'invitation', register: () => created });
    await open('/signup');
    expect(find('signup-form')).toBeNull();
    expect(host.querySelector('h1')!.textContent).toBe('An invitation is needed');
    expect(find('auth-subtitle')).toBeNull();
    expect(find('signup-needs-invitation')!.textContent).toContain('Harbour Chat takes new accounts by invitation only');
  });

  it('open: the heading invites to join and the form is there', async () => {
    stubServer({ mode: 'open', register: () => created });
    await open('/signup');
    expect(host.querySelector('h1')!.textContent).toBe('Join Harbour Chat');
    expect(find('auth-subtitle')!.textContent).toBe('Create your account and start talking.');
    expect(find('signup-form')).not.toBeNull();
  });

  it('invitation only, opened from a link: the form says "You were invited" and sends the invitation with the registration', async () => {
    const registrations = stubServer({ mode: 'invitation', register: () => created });
    await open('/signup?invitation=tok_123');
    expect(find('signup-invited')!.textContent).toBe('You were invited. Create your account to join.');
    await fillAndSubmit();
    expect(registrations).toEqual([{ username: 'alice', password: 'correct horse battery', invitation: 'tok_123' }]);
    expect(router.currentRoute.value.name).toBe('lobby');
  });

  it('an invitation the server refuses is said to be invalid, in the reader\'s language', async () => {
    stubServer({ mode: 'invitation', register: () => ({ status: 403, body: { error: { code: 'invitation_invalid', message: 'Not valid.' } } }) });
    await open('/signup?invitation=forged');
    await fillAndSubmit();
    expect(find('signup-error')!.textContent).toBe('This invitation link is not valid: it may have expired, been used up or been revoked. Ask for a new one.');
    expect(find('signup-invited')).toBeNull();
    await loadLocale('zh-CN');
    await nextTick();
    expect(find('signup-error')!.textContent).toBe('此邀请链接无效：可能已过期、已用完或已被撤销，请索取新的链接。');
  });

  it('registration closed while the page was open: the refusal reads the mode again and the page says it is closed', async () => {
    const server: Server = { mode: 'open', register: () => ({ status: 403, body: { error: { code: 'registration_closed', message: 'Closed.' } } }) };
    stubServer(server);
    await open('/signup');
    expect(find('signup-form')).not.toBeNull();
    server.mode = 'closed';
    await fillAndSubmit();
    expect(find('signup-form')).toBeNull();
    expect(find('signup-closed')).not.toBeNull();
  });
});
