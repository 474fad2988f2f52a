import { afterEach, describe, expect, it } from 'vitest';
import { AUDIT_ACTIONS, type AuditEntryDto } from '@confab/shared';
import { loadLocale } from '../../i18n';
import { auditDetails, auditSentence } from './auditText';

const ADA = { id: 'a'.repeat(24), name: 'Ada Admin' };
function entry(action: AuditEntryDto['action'], overrides: Partial<AuditEntryDto> = {}): AuditEntryDto {
  return { id: 'e'.repeat(24), at: '2026-03-01T12:00:00.000Z', actor: ADA, action, target: { kind: 'user', id: 'b'.repeat(24), label: 'Bob Baker' }, ...overrides };
}

afterEach(async () => {
  await loadLocale('en');
});

describe('audit log entries in words', () => {
  it('every action has a sentence of its own, naming who did it and to what', () => {
    const sentences = AUDIT_ACTIONS.map((action) => auditSentence(entry(action, { details: { role: 'admin' } })));
    expect(new Set(sentences).size).toBe(AUDIT_ACTIONS.length);
    for (const sentence of sentences) expect(sentence.startsWith('Ada Admin ')).toBe(true);
    expect(auditSentence(entry('user.ban'))).toBe('Ada Admin banned Bob Baker');
    expect(auditSentence(entry('message.remove', { target: { kind: 'message', id: 'm'.repeat(24), label: '“spam” by Bob Baker' } }))).toBe('Ada Admin removed a message: “spam” by Bob Baker');
  });

  it('a role change reads by the role given, and the command line is the operator', () => {
    expect(auditSentence(entry('user.role', { details: { role: 'admin' } }))).toBe('Ada Admin made Bob Baker an admin');
    expect(auditSentence(entry('user.role', { details: { role: 'member' } }))).toBe('Ada Admin made Bob Baker a member');
    expect(auditSentence(entry('user.create', { actor: { id: 'operator', name: 'operator' } }))).toBe('The operator created the account Bob Baker');
  });

  it("details name the settings as the form does and give values in words, in the reader's language", async () => {
    const changed = entry('settings.update', {
      target: { kind: 'settings', id: 'settings', label: 'settings' },
      details: { registration: 'closed', recallWindowMs: '300000', editWindowMs: '0', uploadQuotaBytes: 'none', membersCanInvite: 'true', mystery: 'as is' },
    });
    expect(auditSentence(changed)).toBe('Ada Admin changed the server settings');
    expect(auditDetails(changed).map((d) => `${d.label}=${d.value}`)).toEqual([
      'Who can create an account=Closed',
      'Recall window=5 minutes',
      'Editing messages=Off',
      'Storage per person=No limit',
      'Members can create invitation links=On',
      'mystery=as is',
    ]);
    await loadLocale('zh-CN');
    expect(auditSentence(changed)).toBe('Ada Admin 修改了服务器设置');
    expect(auditDetails(changed)[0]).toEqual({ name: 'registration', label: '谁可以注册账号', value: '关闭' });
    expect(auditDetails(changed)[1]!.value).toBe('5分钟');
  });

  it('windows and sizes below one unit read as the server and the command line name them, never as 0', () => {
    const small = entry('settings.update', {
      target: { kind: 'settings', id: 'settings', label: 'settings' },
      details: { recallWindowMs: '0', editWindowMs: '20000', uploadMaxBytes: '41943', uploadQuotaBytes: '1500' },
    });
    // The server refuses a file over 41943 bytes with "Files may be at most 40.9 kB" (limitText.test.ts).
    expect(auditDetails(small).map((d) => d.value)).toEqual(['Off', '20 seconds', '40.9 kB', '1.46 kB']);
    const longer = entry('settings.update', {
      target: { kind: 'settings', id: 'settings', label: 'settings' },
      details: { editWindowMs: '90500', uploadMaxBytes: String(25 * 1024 * 1024) },
    });
    expect(auditDetails(longer).map((d) => d.value)).toEqual(['1 minute and 30 seconds', '25 MB']);
  });
});

describe('people’s text in the log', () => {
  it('isolates names, labels and details holding direction controls, so they cannot reorder the sentence', () => {
    const sneaky = 'Insults \u202Eevil';
    const sentence = auditSentence(entry('user.ban', { target: { kind: 'user', id: 'u'.repeat(24), label: sneaky } }));
    expect(sentence).toBe('Ada Admin banned \u2068Insults evil\u2069');
    const details = auditDetails(entry('message.remove', { details: { reason: sneaky } }));
    expect(details.find((d) => d.name === 'reason')?.value).toBe('\u2068Insults evil\u2069');
  });
});
