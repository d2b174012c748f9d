import { describe, expect, it } from 'vitest';
import { resetLink, resetMail } from './reset-password.ts';

describe('the reset e-mail', () => {
  it('carries the link in text and HTML, the token in the fragment', () => {
    const link = resetLink('https://weltoffen.example/', 'abcDEF123_-abcDEF123_-');
    expect(link).toBe('https://weltoffen.example/passwort-neu#abcDEF123_-abcDEF123_-');
    const mail = resetMail({ email: 'a@example.org', name: 'Erika Mustermann', link });
    expect(mail.text).toContain(link);
    expect(mail.html).toContain(`<a href="${link}">Neues Passwort festlegen</a>`);
    expect(mail.html).toContain('lang="de"');
  });

  it('escapes the name in the HTML part', () => {
    const mail = resetMail({ email: 'a@example.org', name: '<img src=x onerror=alert(1)>', link: 'https://weltoffen.example/passwort-neu#t' });
    expect(mail.html).not.toContain('<img');
    expect(mail.html).toContain('&lt;img');
  });
});
