import { describe, expect, it } from 'vitest';
import { fieldErrors, placeServerError } from './formErrors';

describe('form errors', () => {
  it('keeps the first issue of each field, as a sentence', () => {
    const result = {
      success: false as const,
      error: { issues: [
        { path: ['username'], message: 'username must be at least 3 characters' },
        { path: ['username'], message: 'second issue' },
        { path: ['password'], message: 'password is required' },
      ] },
    };
    expect(fieldErrors(result)).toEqual({ username: 'Username must be at least 3 characters', password: 'Password is required' });
    expect(fieldErrors({ success: true })).toEqual({});
  });

  it('puts a server error on the field it names, or above the form', () => {
    expect(placeServerError({ code: 'username_taken', message: 'That username is taken.', field: 'username' }, ['username', 'password'])).toEqual({
      field: 'username',
      message: 'That username is taken.',
    });
    expect(placeServerError({ code: 'invalid_payload', message: 'password: password must be a string', field: 'password' }, ['password'])).toEqual({
      field: 'password',
      message: 'Password must be a string',
    });
    expect(placeServerError({ code: 'invalid_credentials', message: 'Wrong username or password.' }, ['username'])).toEqual({
      field: null,
      message: 'Wrong username or password.',
    });
  });
});
