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

describe('the reset e-mail sent by the Programmteam', () => {
  const link = 'https://weltoffen.example/passwort-neu#t';
  const sentBy = { name: 'Paula <Programm>', email: 'paula@example.org' };

  it('names who sent it instead of saying a new password was requested, in text and HTML', () => {
    const mail = resetMail({ email: 'a@example.org', name: 'Erika Mustermann', link, sentBy });
    for (const part of [mail.text, mail.html!]) {
      expect(part).not.toMatch(/angefordert/);
      expect(part).toMatch(/\(Programmteam\) hat Ihnen einen Link geschickt/);
      expect(part).toContain('paula@example.org');
      expect(part).toMatch(/Wenn Sie kein neues Passwort brauchen/);
    }
    expect(mail.text).toContain('Paula <Programm> (Programmteam)');
    expect(mail.html).toContain('Paula &lt;Programm&gt; (Programmteam)');
  });

  it('a link the person asked for still says so', () => {
    const mail = resetMail({ email: 'a@example.org', name: 'Erika Mustermann', link });
    expect(mail.text).toMatch(/wurde ein neues Passwort angefordert/);
    expect(mail.text).not.toMatch(/Programmteam/);
  });
});
